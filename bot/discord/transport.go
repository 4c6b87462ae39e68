package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// DefaultAPIURL is used when Config.APIURL is empty.
const DefaultAPIURL = "https://discord.com/api/v10/"

// rewriteTransport sends every request that discordgo addresses to its
// built-in API prefix (discordgo.EndpointAPI, fixed at package init) to the
// configured API URL instead. Requests to other URLs pass through unchanged.
type rewriteTransport struct {
	from string // discordgo.EndpointAPI
	to   string // cfg.APIURL, with a trailing slash
	base http.RoundTripper
}

// newRewriteTransport returns a transport that maps discordgo's API prefix
// to apiURL, which must be an absolute http(s) URL.
func newRewriteTransport(apiURL string, base http.RoundTripper) (*rewriteTransport, error) {
	u, err := url.Parse(apiURL)
	if err != nil {
		return nil, fmt.Errorf("discord: api_url: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discord: api_url %q: want an absolute http(s) URL", apiURL)
	}
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return &rewriteTransport{from: discordgo.EndpointAPI, to: apiURL, base: base}, nil
}

// RoundTrip implements http.RoundTripper.
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	orig := req.URL.String()
	if !strings.HasPrefix(orig, t.from) || t.from == t.to {
		return t.base.RoundTrip(req)
	}
	u, err := url.Parse(t.to + strings.TrimPrefix(orig, t.from))
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("discord: rewrite url: %w", err)
	}
	r := req.Clone(req.Context())
	r.URL = u
	r.Host = u.Host
	return t.base.RoundTrip(r)
}

// endpoint returns discordgo's URL for path (relative to the API root); the
// transport maps it to the configured API URL.
func endpoint(path string) string {
	return discordgo.EndpointAPI + strings.TrimPrefix(path, "/")
}
