package feeds

import (
	"net/url"
	"strings"
)

// trackingParams are query parameters that only identify how a reader reached a
// page. They are removed from canonical URLs (compared case-insensitively).
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gclsrc": true, "msclkid": true,
	"yclid": true, "igshid": true, "twclid": true, "ttclid": true, "wbraid": true, "gbraid": true,
	"mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
	"ref_src": true, "ref_url": true, "traffic_source": true,
	"feedtype": true, "feedname": true, // FeedBurner
	"ocid": true, "cmpid": true, "smid": true, "s_cid": true, "at_medium": true, "at_campaign": true,
	"__twitter_impression": true, "_ga": true, "_gl": true, "oly_enc_id": true, "oly_anon_id": true,
	"vero_id": true, "wt.mc_id": true, "wt_mc": true, "wt_zmc": true, "ito": true, "spm": true,
}

// isTrackingParam reports whether a query parameter name is a tracking parameter.
func isTrackingParam(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "utm_") {
		return true
	}
	return trackingParams[n]
}

// CanonicalURL returns raw made absolute-looking and comparable: scheme and host
// lower-cased, default port and fragment removed, tracking parameters
// (utm_*, fbclid, gclid, mc_cid, FeedBurner feedType/feedName, …) dropped and
// Google redirect links (google.com/url?url=…, used by Google Alerts) unwrapped.
// The order and encoding of the remaining query parameters are kept.
// A string that does not parse as an http(s) URL is returned trimmed.
func CanonicalURL(raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" {
		return ""
	}
	for range 3 { // a redirect may wrap another redirect
		u, err := url.Parse(s)
		if err != nil {
			return s
		}
		if u.Scheme == "" || u.Host == "" {
			// relative or opaque: only drop the fragment
			before, _, _ := strings.Cut(s, "#")
			return strings.TrimSpace(before)
		}
		inner := unwrapRedirect(u)
		if inner == "" {
			return canonicalize(u)
		}
		s = inner
	}
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return canonicalize(u)
}

// unwrapRedirect returns the target of a Google redirect link, or "".
func unwrapRedirect(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if u.Path != "/url" || !isGoogleHost(host) {
		return ""
	}
	q := u.Query()
	for _, k := range []string{"url", "q"} {
		t := q.Get(k)
		if t == "" {
			continue
		}
		tu, err := url.Parse(t)
		if err != nil || (tu.Scheme != "http" && tu.Scheme != "https") || tu.Host == "" {
			continue
		}
		return t
	}
	return ""
}

// isGoogleHost reports whether host is google.<tld> or www.google.<tld>.
func isGoogleHost(host string) bool {
	host = strings.TrimPrefix(host, "www.")
	if !strings.HasPrefix(host, "google.") {
		return false
	}
	rest := strings.TrimPrefix(host, "google.")
	// google.com, google.co.uk, google.com.tr …
	return rest != "" && len(rest) <= 7 && !strings.ContainsAny(rest, "/:")
}

// canonicalize applies the normalisations of CanonicalURL to a parsed URL.
func canonicalize(u *url.URL) string {
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if port := u.Port(); (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		u.Host = strings.TrimSuffix(u.Host, ":"+port)
	}
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = strings.Trim(stripTracking(strings.Trim(u.RawQuery, queryCutset)), queryCutset)
	u.ForceQuery = false
	if u.Path == "" && u.Host != "" && u.Opaque == "" {
		u.Path = "/"
	}
	// dropping the fragment can expose trailing spaces of the query
	return strings.TrimSpace(u.String())
}

// stripTracking removes tracking parameters from a raw query, keeping the rest
// byte for byte and in order.
func stripTracking(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	parts := strings.Split(rawQuery, "&")
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		name, _, _ := strings.Cut(p, "=")
		if dn, err := url.QueryUnescape(name); err == nil {
			name = dn
		}
		if name != "" && isTrackingParam(name) {
			continue
		}
		kept = append(kept, p)
	}
	if len(kept) == len(parts) {
		return rawQuery
	}
	return strings.Join(kept, "&")
}

// queryCutset is trimmed from both ends of a canonical query.
const queryCutset = " \t\r\n&"

// resolveURL makes ref absolute against base when it is relative.
func resolveURL(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if r.IsAbs() || base == "" {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil || !b.IsAbs() {
		return ref
	}
	return b.ResolveReference(r).String()
}

// HostName is the name sitrep gives a feed added from chat: its URL's host,
// lower-cased, without port or a leading "www.". It is "" when rawURL has
// no host.
func HostName(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return strings.TrimPrefix(h, "www.")
}
