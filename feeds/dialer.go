package feeds

import (
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	"github.com/sitrep-bot/sitrep/internal/redact"
)

// nonPublicPrefixes are ranges refused besides those the netip predicates cover.
var nonPublicPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),  // CGNAT (RFC 6598)
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, incl. broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("fec0::/10"),      // deprecated site-local
}

// isNonPublic reports whether ip must not be reached when private addresses
// are refused: loopback, private, link-local, CGNAT, unspecified, multicast
// and other special-purpose ranges.
func isNonPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() ||
		ip.IsMulticast() {
		return true
	}
	for _, p := range nonPublicPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	// NAT64 well-known prefix: judge the embedded IPv4 address
	if ip.Is6() {
		b := ip.As16()
		if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && isZero(b[4:12]) {
			return isNonPublic(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
		}
	}
	return false
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// refusedAddrError is the guard's refusal of one address; it matches
// ErrPrivateAddress.
type refusedAddrError struct{ addr string }

func (e *refusedAddrError) Error() string { return ErrPrivateAddress.Error() + ": " + e.addr }
func (e *refusedAddrError) Unwrap() error { return ErrPrivateAddress }

// guardControl returns a net.Dialer.Control that refuses the addresses
// refuse reports.
// It runs after name resolution, for every connection (so for every redirect
// hop and against DNS rebinding).
func guardControl(refuse func(netip.Addr) bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return &refusedAddrError{addr: address}
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return &refusedAddrError{addr: address}
		}
		if refuse(ip) {
			return &refusedAddrError{addr: ip.String()}
		}
		return nil
	}
}

// IsPrivateHost reports whether host (a URL's host, with or without port)
// names a non-public address without resolving it: a literal IP the dialer
// guard refuses, or localhost. Other names are judged only at dial time.
func IsPrivateHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return isNonPublic(ip)
	}
	return false
}

// logRefused writes the audit line of a fetch the address guard refused:
// the URL of the refused hop (redacted) and the address it resolved to.
// Other errors are left to the caller.
func logRefused(log *slog.Logger, rawURL string, err error) {
	var re *refusedAddrError
	if !errors.As(err, &re) {
		return
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		rawURL = ue.URL
	}
	log.Warn("feeds: fetch refused", slog.String("url", redact.URL(rawURL)), slog.String("address", re.addr),
		slog.String("reason", "non-public address"))
}
