package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strings"
)

// First-level subdivisions (states, provinces, regions, governorates...) from
// dr5hn/countries-states-cities-database (ODbL 1.0), kept in states.csv as an extract
// (country code, name, type). A state names its country: "Queensland" → australia.

// stateTypes are the subdivision types kept: the first-level units news names. Districts,
// municipalities, counties and departments are left out: many share names with towns elsewhere.
var stateTypes = []string{"state", "province", "region", "governorate", "prefecture", "canton", "republic",
	"autonomous region", "autonomous community", "land", "voivodship", "union territory", "emirate", "oblast",
	"administrative region", "territory", "autonomous republic", "federal district", "special administrative region"}

// genericWords are words of subdivision names that say nothing alone ("Northern", "Central").
var genericWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`north south east west northern southern eastern western central centre center
		capital coast coastal lakes lake upper lower region province district islands island river rivers valley
		highlands plateau delta mountain mountains sea gulf great new saint santa san the of and de del la le les
		el al city territory state federal autonomous special administrative metropolitan greater far middle`) {
		genericWords[w] = true
	}
}

type state struct{ code, name, typ string }

// refreshStates rewrites the extract dst from dr5hn's csv/states.csv.
func refreshStates(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("refresh states: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return fmt.Errorf("refresh states: %w", err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out [][]string
	for _, r := range rows[1:] {
		if r[col["parent_id"]] != "" || !slices.Contains(stateTypes, r[col["type"]]) {
			continue
		}
		out = append(out, []string{r[col["country_code"]], r[col["name"]], r[col["type"]]})
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	g, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("refresh states: %w", err)
	}
	w := csv.NewWriter(g)
	w.Write([]string{"country_code", "name", "type"})
	w.WriteAll(out)
	if err := w.Error(); err != nil {
		g.Close()
		return fmt.Errorf("refresh states: %w", err)
	}
	return g.Close()
}

func loadStates(path string) ([]state, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("states: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("states: %w", err)
	}
	var out []state
	for _, r := range rows[1:] {
		out = append(out, state{code: r[0], name: r[1], typ: r[2]})
	}
	return out, nil
}

// usableState reports whether a subdivision's name is specific enough to name its country: not
// made of generic words only, and long enough.
func usableState(name string) bool {
	k := fold(name)
	if len([]rune(k)) < 4 {
		return false
	}
	for _, w := range strings.Fields(k) {
		if !genericWords[w] && len(w) >= 3 {
			return true
		}
	}
	return false
}

// loadCities reads tzcities.tsv: the cities that name time zones in the IANA tz database's
// zone.tab ("America/New_York" → US, "New York"), one "CC<TAB>City" a line.
func loadCities(path string) ([]state, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cities: %w", err)
	}
	var out []state
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		cc, name, ok := strings.Cut(l, "\t")
		if !ok {
			return nil, fmt.Errorf("cities: bad line %q", l)
		}
		out = append(out, state{code: cc, name: name})
	}
	return out, nil
}
