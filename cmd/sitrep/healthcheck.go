package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// cmdHealthcheck probes a running sitrep's /healthz (for container
// healthchecks on images without curl).
func cmdHealthcheck(ctx context.Context, args []string, e env) error {
	fs := newFlags("healthcheck", e)
	url := fs.String("url", "http://127.0.0.1:8080/healthz", "health endpoint to probe")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", *url, resp.Status)
	}
	return nil
}
