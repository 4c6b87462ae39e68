// Package redact hides credentials in URLs before they are printed, logged
// or sent to chat: the userinfo part (https://user:pass@host/…) and the
// values of query parameters whose names look secret (?apikey=…, &token=…).
// It is the one place that decides what a secret-looking URL part is.
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces every hidden value.
const Mask = "REDACTED"

// secretParams are query parameter names (lower case) that carry
// credentials in feed URLs and signed links.
var secretParams = map[string]bool{
	"key": true, "apikey": true, "api_key": true, "api-key": true, "apitoken": true,
	"token": true, "access_token": true, "auth": true, "auth_token": true, "authorization": true,
	"secret": true, "client_secret": true, "password": true, "passwd": true, "pass": true, "pwd": true,
	"sig": true, "signature": true, "session": true, "sessionid": true, "sid": true,
	"private_token": true, "x-amz-signature": true, "x-amz-credential": true, "x-amz-security-token": true,
	"x-goog-signature": true, "x-goog-credential": true,
}

// secretParts mark a parameter name as secret wherever they occur in it
// (e.g. "feed_token", "my_api_key", "hmac_signature").
var secretParts = []string{"token", "secret", "passw", "apikey", "api_key", "api-key", "signature", "credential"}

// IsSecretParam reports whether a query parameter of this name is hidden.
func IsSecretParam(name string) bool {
	n := strings.ToLower(name)
	if secretParams[n] {
		return true
	}
	for _, p := range secretParts {
		if strings.Contains(n, p) {
			return true
		}
	}
	return false
}

// URL returns raw with its userinfo and secret query values replaced by
// Mask, keeping everything else as written. A string that does not parse
// as a URL with a host is returned with anything that looks like userinfo
// or a secret parameter masked all the same.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return scrubLoose(raw)
	}
	changed := false
	if u.User != nil {
		u.User = url.User(Mask)
		changed = true
	}
	if q, ok := maskQuery(u.RawQuery); ok {
		u.RawQuery = q
		changed = true
	}
	if !changed {
		return raw
	}
	return u.String()
}

// maskQuery masks secret values in a raw query, keeping order and the
// encoding of everything else; ok reports a change.
func maskQuery(raw string) (string, bool) {
	if raw == "" {
		return raw, false
	}
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		name, _, hasValue := strings.Cut(p, "=")
		if dec, err := url.QueryUnescape(name); err == nil {
			name = dec
		}
		if hasValue && IsSecretParam(name) {
			k, _, _ := strings.Cut(p, "=")
			parts[i] = k + "=" + Mask
			changed = true
		}
	}
	return strings.Join(parts, "&"), changed
}

// looseUserinfo and looseParam catch secrets in strings that are not
// whole URLs (a URL cut short inside an error message).
var (
	looseUserinfo = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://)[^/?#\s@]+@`)
	looseParam    = regexp.MustCompile(`([?&;])([^=&#\s"']+)=([^&#\s"']*)`)
)

func scrubLoose(s string) string {
	s = looseUserinfo.ReplaceAllString(s, "${1}"+Mask+"@")
	return looseParam.ReplaceAllStringFunc(s, func(m string) string {
		sub := looseParam.FindStringSubmatch(m)
		name := sub[2]
		if dec, err := url.QueryUnescape(name); err == nil {
			name = dec
		}
		if !IsSecretParam(name) {
			return m
		}
		return sub[1] + sub[2] + "=" + Mask
	})
}

// urlInText finds http(s) URLs inside free text such as an error message.
var urlInText = regexp.MustCompile(`(?i)https?://[^\s"'<>` + "`" + `]+`)

// Text masks the credentials of every http(s) URL inside s (an error
// message, a stored last error) and leaves the rest alone.
func Text(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllStringFunc(s, URL)
}

// Origin returns only the scheme and host of raw ("https://hooks.slack.com"),
// for URLs whose path itself is a credential, such as a Slack response_url
// or a Discord webhook; "" when raw has no host.
func Origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
