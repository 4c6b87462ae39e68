package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// country is the part of one mledoze/countries record the generator uses.
type country struct {
	CCA2         string               `json:"cca2"`
	Name         nameForms            `json:"name"`
	AltSpellings []string             `json:"altSpellings,omitempty"`
	Capital      []string             `json:"capital,omitempty"`
	Demonyms     map[string]demonym   `json:"demonyms,omitempty"`
	Translations map[string]nameForms `json:"translations,omitempty"`
	Independent  *bool                `json:"independent,omitempty"`
}

type nameForms struct {
	Common   string `json:"common"`
	Official string `json:"official"`
}

type demonym struct {
	F string `json:"f"`
	M string `json:"m"`
}

// keptTranslations are the mledoze translation keys copied into the extract.
var keptTranslations = []string{"ara", "deu", "fra", "per", "pol", "rus", "spa", "tur", "urd"}

// refresh rewrites the extract dst from a full mledoze countries.json, keeping only the fields
// the generator reads.
func refresh(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	var all []country
	if err := json.Unmarshal(b, &all); err != nil {
		return fmt.Errorf("refresh: parse %s: %w", src, err)
	}
	for i := range all {
		c := &all[i]
		for k := range c.Translations {
			if !slices.Contains(keptTranslations, k) {
				delete(c.Translations, k)
			}
		}
		for k := range c.Demonyms {
			if k != "eng" {
				delete(c.Demonyms, k)
			}
		}
	}
	slices.SortFunc(all, func(a, b country) int {
		if a.CCA2 < b.CCA2 {
			return -1
		}
		if a.CCA2 > b.CCA2 {
			return 1
		}
		return 0
	})
	out, err := json.MarshalIndent(all, "", " ")
	if err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	return os.WriteFile(dst, append(out, '\n'), 0o644)
}

func loadCountries(path string) ([]country, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("countries: %w", err)
	}
	var all []country
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, fmt.Errorf("countries: parse %s: %w", path, err)
	}
	return all, nil
}
