package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// quotedValue matches a value quoted in a yaml error message.
var quotedValue = regexp.MustCompile("`[^`]*`")

// Load reads the YAML file at path over Default(), replacing ${VAR} in
// values with getenv(VAR). It does not validate; call Validate.
func Load(path string, getenv func(string) string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: load: %w", err)
	}
	cfg, err := Parse(b, getenv)
	if err != nil {
		return Config{}, fmt.Errorf("config: load %s: %w", path, err)
	}
	return cfg, nil
}

// Parse decodes YAML over Default(). Unknown keys are errors. ${VAR} is
// expanded inside scalar values only, after parsing, so a value from the
// environment can never change the document's structure; expanded values
// are redacted from error messages. When VAR is unset or empty and
// VAR_FILE names a file, ${VAR} is that file's content without its final
// newline (Docker and Kubernetes secrets).
func Parse(b []byte, getenv func(string) string) (Config, error) {
	cfg := Default()
	if len(bytes.TrimSpace(b)) == 0 {
		return cfg, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return Config{}, fmt.Errorf("parse: %w", err)
	}
	expanded := map[string]string{}
	var fileErr error
	lookup := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		path := getenv(name + "_FILE")
		if path == "" {
			return ""
		}
		v, err := os.ReadFile(path)
		if err != nil {
			// The error names the file, never its content.
			fileErr = errors.Join(fileErr, fmt.Errorf("${%s}: %s_FILE: %w", name, name, err))
			return ""
		}
		return strings.TrimRight(string(v), "\r\n")
	}
	expandNode(&root, lookup, expanded)
	if fileErr != nil {
		return Config{}, fmt.Errorf("parse: %w", fileErr)
	}
	dec, err := yaml.Marshal(&root)
	if err != nil {
		return Config{}, fmt.Errorf("parse: %w", err)
	}
	d := yaml.NewDecoder(bytes.NewReader(dec))
	d.KnownFields(true)
	if err := d.Decode(&cfg); err != nil {
		msg := err.Error()
		if len(expanded) > 0 {
			// yaml quotes offending values between backticks, sometimes cut
			// short; any of them may come from the environment.
			msg = quotedValue.ReplaceAllString(msg, "`REDACTED`")
		}
		return Config{}, fmt.Errorf("parse: %s", msg)
	}
	if len(expanded) > 0 {
		cfg.fromEnv = expanded
	}
	return cfg, nil
}

// expandNode replaces ${VAR} in scalars, recording each expanded value
// (and the whole scalar it ended up in) against the text it replaced.
func expandNode(n *yaml.Node, getenv func(string) string, expanded map[string]string) {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${") {
		written := n.Value
		n.Value = envRef.ReplaceAllStringFunc(n.Value, func(m string) string {
			v := getenv(m[2 : len(m)-1])
			if v != "" {
				expanded[v] = m
			}
			return v
		})
		if n.Value != "" && n.Value != written {
			expanded[n.Value] = written
		}
		if n.Tag == "!!null" {
			n.Tag = "!!str"
		}
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		expandNode(c, getenv, expanded)
	}
}
