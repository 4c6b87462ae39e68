package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestComposeHardened keeps the example deployment safe by default: every
// published port binds to loopback unless SITREP_PUBLISH says otherwise,
// no password is written in the file, every service runs read-only with
// all capabilities dropped (the database adds back only what its
// entrypoint needs) and no-new-privileges, and images are pinned by digest.
func TestComposeHardened(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
			Ports       []string          `yaml:"ports"`
			ReadOnly    bool              `yaml:"read_only"`
			CapDrop     []string          `yaml:"cap_drop"`
			CapAdd      []string          `yaml:"cap_add"`
			SecurityOpt []string          `yaml:"security_opt"`
			Secrets     []string          `yaml:"secrets"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Services) == 0 {
		t.Fatal("no services")
	}
	for name, s := range doc.Services {
		for _, p := range s.Ports {
			if !strings.HasPrefix(p, "${SITREP_PUBLISH:-127.0.0.1}:") && !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("%s publishes %q beyond loopback by default", name, p)
			}
		}
		for k, v := range s.Environment {
			if strings.Contains(strings.ToUpper(k), "PASSWORD") && !strings.HasSuffix(k, "_FILE") {
				t.Errorf("%s: %s=%q written in the compose file; use a secret file", name, k, v)
			}
		}
		if !s.ReadOnly {
			t.Errorf("%s: read_only is not set", name)
		}
		if len(s.CapDrop) != 1 || s.CapDrop[0] != "ALL" {
			t.Errorf("%s: cap_drop = %v, want [ALL]", name, s.CapDrop)
		}
		if name == "sitrep" && len(s.CapAdd) > 0 {
			t.Errorf("sitrep adds capabilities %v; it needs none", s.CapAdd)
		}
		if !strings.Contains(strings.Join(s.SecurityOpt, ","), "no-new-privileges:true") {
			t.Errorf("%s: security_opt = %v, want no-new-privileges:true", name, s.SecurityOpt)
		}
		if s.Image != "" && !regexp.MustCompile(`@sha256:[0-9a-f]{64}$`).MatchString(s.Image) {
			t.Errorf("%s: image %q is not pinned by digest", name, s.Image)
		}
	}
	if strings.Contains(string(b), "POSTGRES_PASSWORD:") {
		t.Error("compose sets POSTGRES_PASSWORD in clear")
	}
}

// TestDockerfilePinnedAndContextClean: every base image is pinned by
// digest, and the build context leaves out history, secrets and databases.
func TestDockerfilePinnedAndContextClean(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	from := regexp.MustCompile(`^FROM\s+(\S+)`)
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := from.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n++
		if !regexp.MustCompile(`@sha256:[0-9a-f]{64}$`).MatchString(m[1]) {
			t.Errorf("FROM %s is not pinned by digest", m[1])
		}
	}
	if n == 0 {
		t.Fatal("no FROM lines")
	}
	ign, err := os.ReadFile(filepath.Join("..", "..", ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(ign), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, want := range []string{".git", ".env", "secrets/", "*.db", "**/sitrep.yaml"} {
		if !lines[want] {
			t.Errorf(".dockerignore lacks %q", want)
		}
	}
	for _, pkg := range []string{"config/", "config", "store/"} {
		if lines[pkg] {
			t.Errorf(".dockerignore drops the %s package the build needs", pkg)
		}
	}
}
