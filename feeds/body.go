package feeds

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// readBody reads resp's body, decoding gzip/deflate content encodings, and
// fails with ErrTooLarge when the decoded body exceeds maxBody.
func readBody(resp *http.Response, maxBody int64) ([]byte, error) {
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if (enc == "" || enc == "identity") && resp.ContentLength > maxBody {
		return nil, fmt.Errorf("read body: %w (content-length %d)", ErrTooLarge, resp.ContentLength)
	}
	var r io.Reader = resp.Body
	switch enc {
	case "", "identity":
	case "gzip", "x-gzip":
		br := bufio.NewReader(resp.Body)
		if h, err := br.Peek(2); err != nil || h[0] != 0x1f || h[1] != 0x8b {
			r = br // labelled gzip but sent plain: read as is
			break
		}
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read body: gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		br := bufio.NewReader(resp.Body)
		r = deflateReader(br)
	default:
		return nil, fmt.Errorf("read body: unsupported content-encoding %q", enc)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(b)) > maxBody {
		return nil, fmt.Errorf("read body: %w (over %d bytes)", ErrTooLarge, maxBody)
	}
	return b, nil
}

// deflateReader handles both zlib-wrapped ("deflate" per RFC 9110) and raw
// DEFLATE bodies, which some servers send instead.
func deflateReader(br *bufio.Reader) io.Reader {
	if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
		if zr, err := zlib.NewReader(br); err == nil {
			return zr
		}
	}
	return flate.NewReader(br)
}
