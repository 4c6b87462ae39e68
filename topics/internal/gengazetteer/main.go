// Command gengazetteer writes the world part of the topics gazetteer (topics/data/world.txt) and
// the list of region slugs (docs/regions.md) from maintained datasets:
//
//   - country and territory names in many languages from CLDR, through
//     golang.org/x/text/language/display;
//   - official names, other spellings, translations, English demonyms and capitals from
//     mledoze/countries (ODbL 1.0), kept in countries.json as an extract of the fields used;
//   - first-level subdivisions (states, provinces, regions) from
//     dr5hn/countries-states-cities-database (ODbL 1.0), kept in states.csv as an extract;
//   - cities of the IANA tz database's zone.tab (public domain), kept in tzcities.tsv;
//   - extra.txt, the hand-kept corrections: slugs, names too ambiguous to match, names that must
//     match case-sensitively or outside a person's name, and forms the datasets lack.
//
// The hand-made regional gazetteer (topics/data/gazetteer.txt) stays on top: its slugs are kept,
// and names it already knows are not repeated. Run it with `go generate ./topics/`.
//
// To refresh the extract from a newer mledoze/countries checkout:
//
//	go run ./topics/internal/gengazetteer -refresh path/to/countries.json
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"
)

func main() {
	var (
		dir     = flag.String("dir", "internal/gengazetteer", "directory of countries.json and extra.txt")
		hand    = flag.String("hand", "data/gazetteer.txt", "hand-made gazetteer")
		out     = flag.String("out", "data/world.txt", "output gazetteer file")
		doc     = flag.String("doc", "../docs/regions.md", "output slug list")
		refresh = flag.String("refresh", "", "rebuild countries.json from this full mledoze countries.json and exit")
		refSt   = flag.String("refresh-states", "", "rebuild states.csv from this dr5hn csv/states.csv and exit")
	)
	flag.Parse()
	if *refresh != "" || *refSt != "" {
		if *refresh != "" {
			if err := refreshExtract(*refresh, *dir+"/countries.json"); err != nil {
				log.Fatal(err)
			}
		}
		if *refSt != "" {
			if err := refreshStates(*refSt, *dir+"/states.csv"); err != nil {
				log.Fatal(err)
			}
		}
		return
	}
	if err := run(*dir, *hand, *out, *doc); err != nil {
		log.Fatal(err)
	}
}

func refreshExtract(src, dst string) error { return refresh(src, dst) }

// cldrLocales are the languages whose CLDR territory names are added. Kurmanji ("ku") is not
// among them: x/text has no names for it and falls back to Turkish.
var cldrLocales = []string{"en", "ar", "fa", "tr", "ckb", "ur", "he", "fr", "pl", "de", "es", "ru"}

// handRegion is a region header of the hand-made gazetteer.
type handRegion struct{ slug, name string }

type extras struct {
	slug   map[string]string   // CCA2 → slug
	name   map[string]string   // slug → display name
	skip   map[string]bool     // folded alias → never generated
	cs     map[string]bool     // folded alias → case-sensitive only
	person map[string]bool     // folded alias → also a person's name
	add    map[string][]string // slug → extra aliases
	dem    map[string][]string // slug → extra demonyms
	drop   map[string]bool     // CCA2 → not a region of its own
}

// one generated region.
type region struct {
	slug, name, code string
	hand             bool
	names, demonyms  []string
	capitals, states []string
	cities           []string
}

func run(dir, handPath, outPath, docPath string) error {
	countries, err := loadCountries(dir + "/countries.json")
	if err != nil {
		return err
	}
	ex, err := loadExtras(dir + "/extra.txt")
	if err != nil {
		return err
	}
	handRegions, handAliases, err := loadHand(handPath)
	if err != nil {
		return err
	}
	states, err := loadStates(dir + "/states.csv")
	if err != nil {
		return err
	}
	cities, err := loadCities(dir + "/tzcities.tsv")
	if err != nil {
		return err
	}
	handSlugs := map[string]bool{}
	for _, h := range handRegions {
		handSlugs[h.slug] = true
	}

	var regs []*region
	bySlug := map[string]*region{}
	en := display.Regions(language.English)
	for _, c := range countries {
		if ex.drop[c.CCA2] {
			continue
		}
		slug := ex.slug[c.CCA2]
		if slug == "" {
			slug = slugify(c.Name.Common)
		}
		if bySlug[slug] != nil {
			return fmt.Errorf("slug %q given to two countries (%s)", slug, c.CCA2)
		}
		r := &region{slug: slug, code: c.CCA2, hand: handSlugs[slug], name: c.Name.Common}
		if n := ex.name[slug]; n != "" {
			r.name = n
		}
		bySlug[slug] = r
		regs = append(regs, r)

		r.names = append(r.names, c.Name.Common, c.Name.Official)
		if rg, err := language.ParseRegion(c.CCA2); err == nil {
			r.names = append(r.names, cldrVariants(en.Name(rg))...)
			tr := display.Regions(language.Turkish)
			for _, loc := range cldrLocales[1:] {
				n := display.Regions(language.MustParse(loc))
				if n == nil {
					continue
				}
				name := n.Name(rg)
				if loc == "ckb" && name == tr.Name(rg) {
					continue
				}
				r.names = append(r.names, cldrVariants(name)...)
				if loc == "pl" {
					r.names = append(r.names, plForms(name)...)
				}
			}
		}
		for _, a := range c.AltSpellings {
			if len(a) <= 2 || strings.Contains(a, ",") {
				continue
			}
			r.names = append(r.names, a)
		}
		for _, k := range keptTranslations {
			t, ok := c.Translations[k]
			if !ok {
				continue
			}
			r.names = append(r.names, t.Common)
			if k == "pol" {
				r.names = append(r.names, plForms(t.Common)...)
			}
			if k == "ara" {
				r.demonyms = append(r.demonyms, arabicNisba(t.Common)...)
			}
		}
		if d, ok := c.Demonyms["eng"]; ok {
			for _, x := range []string{d.M, d.F} {
				r.demonyms = append(r.demonyms, x, englishPlural(x))
			}
		}
		r.capitals = append(r.capitals, c.Capital...)
	}
	byCode := map[string]*region{}
	for _, r := range regs {
		byCode[r.code] = r
	}
	for _, s := range states {
		if r := byCode[s.code]; r != nil && usableState(s.name) {
			r.states = append(r.states, s.name)
		}
	}
	for _, c := range cities {
		if r := byCode[c.code]; r != nil && usableState(c.name) {
			r.cities = append(r.cities, c.name)
		}
	}
	for _, h := range handRegions {
		if !handSlugs[h.slug] || bySlug[h.slug] != nil {
			continue
		}
		// a hand region that is not a country (kurdistan-region, gulf, seas): extras only
		r := &region{slug: h.slug, name: h.name, hand: true}
		bySlug[h.slug] = r
		regs = append(regs, r)
	}
	for slug, as := range ex.add {
		r := bySlug[slug]
		if r == nil {
			return fmt.Errorf("extra.txt: add: unknown slug %q", slug)
		}
		r.names = append(r.names, as...)
	}
	for slug, as := range ex.dem {
		r := bySlug[slug]
		if r == nil {
			return fmt.Errorf("extra.txt: demonym: unknown slug %q", slug)
		}
		r.demonyms = append(as, r.demonyms...)
	}

	// An alias that two regions share ("Congo", "Korea") names neither.
	owners := map[string]map[string]bool{}
	note := func(slug, a string) {
		k := fold(a)
		if owners[k] == nil {
			owners[k] = map[string]bool{}
		}
		owners[k][slug] = true
	}
	for _, r := range regs {
		for _, l := range [][]string{r.names, r.demonyms, r.capitals, r.states, r.cities} {
			for _, a := range l {
				note(r.slug, a)
			}
		}
	}
	seen := map[string]bool{}
	clean := func(r *region, list []string, allowShared bool) []string {
		var out []string
		for _, a := range list {
			a = strings.TrimSpace(strings.ReplaceAll(a, "’", "'"))
			k := fold(a)
			if k == "" || strings.ContainsAny(a, ",=") || len([]rune(k)) < 3 || ex.skip[k] || handAliases[k] || seen[k] {
				continue
			}
			if len(owners[k]) > 1 && !allowShared {
				continue
			}
			seen[k] = true
			switch {
			case ex.person[k]:
				a = "?" + a
			case ex.cs[k] || (isPolishOblique(a) && !strings.Contains(a, " ")):
				a = "!" + a
			case isAcronym(a) && !strings.Contains(a, " "):
				a = "!" + a
			}
			out = append(out, a)
		}
		return out
	}
	slices.SortFunc(regs, func(a, b *region) int { return strings.Compare(a.slug, b.slug) })
	for _, r := range regs {
		addSet := map[string]bool{}
		for _, a := range ex.add[r.slug] {
			addSet[fold(a)] = true
		}
		var names []string
		for _, a := range r.names {
			if addSet[fold(a)] {
				names = append(names, clean(r, []string{a}, true)...)
			} else {
				names = append(names, clean(r, []string{a}, false)...)
			}
		}
		r.names = names
		// A demonym extra.txt gives a region is its own even where the datasets give it to
		// several ("Dutch" of Aruba, Curaçao ..., "Congolese" of both Congos).
		demSet := map[string]bool{}
		for _, a := range ex.dem[r.slug] {
			demSet[fold(a)] = true
		}
		var dems []string
		for _, a := range r.demonyms {
			dems = append(dems, clean(r, []string{a}, demSet[fold(a)])...)
		}
		r.demonyms = dems
		r.capitals = clean(r, r.capitals, false)
		r.states = clean(r, r.states, false)
		r.cities = clean(r, r.cities, false)
	}
	if err := writeWorld(outPath, regs); err != nil {
		return err
	}
	return writeDoc(docPath, regs, handRegions)
}

// polishOblique records which generated names are declined Polish forms.
var polishOblique = map[string]bool{}

func isPolishOblique(a string) bool { return polishOblique[a] }

func plForms(name string) []string {
	fs := polishForms(name)
	for _, f := range fs {
		polishOblique[f] = true
	}
	return fs
}

func isAcronym(a string) bool {
	if len(a) > 5 {
		return false
	}
	for _, r := range a {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// cldrVariants returns a CLDR display name and its usable variants: "Congo - Kinshasa" also as
// "Congo Kinshasa"; "Myanmar (Burma)" as "Myanmar" and "Burma".
func cldrVariants(name string) []string {
	if name == "" {
		return nil
	}
	out := []string{name}
	if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		out = append(out, name[:i], name[i+2:len(name)-1])
	}
	return out
}

// englishPlural returns the plural of an English demonym ("Venezuelan" → "Venezuelans"), or ""
// when it has none ("Chinese", "British", "Swiss").
func englishPlural(d string) string {
	l := strings.ToLower(d)
	for _, suf := range []string{"ese", "sh", "ch", "ss", "s", "x", "z"} {
		if strings.HasSuffix(l, suf) {
			return ""
		}
	}
	if d == "" || strings.Contains(d, " ") {
		return ""
	}
	return d + "s"
}

// arabicNisba returns the Arabic relational adjectives of a one-word country name:
// "فنزويلا" → "فنزويلي", "فنزويلية", "فنزويليون", "فنزويليين".
func arabicNisba(name string) []string {
	name = strings.TrimPrefix(name, "ال")
	if strings.Contains(name, " ") || len([]rune(name)) < 4 {
		return nil
	}
	stem := name
	switch {
	case strings.HasSuffix(stem, "يا"):
		stem = strings.TrimSuffix(stem, "ا")
	case strings.HasSuffix(stem, "ا"):
		stem = strings.TrimSuffix(stem, "ا") + "ي"
	case strings.HasSuffix(stem, "ي"):
	default:
		stem += "ي"
	}
	return []string{stem, stem + "ة", stem + "ون", stem + "ين"}
}

// arabicLetters unifies Arabic-script letter variants as the matcher does (Persian and Urdu
// yeh, keheh, heh forms).
var arabicLetters = strings.NewReplacer("ی", "ي", "ى", "ي", "ے", "ي", "ێ", "ي", "ک", "ك", "ة", "ه", "ە", "ه", "ھ", "ه", "ہ", "ه", "ۃ", "ه")

// fold is a simplified form of the matcher's normalization, used to find duplicate aliases:
// lower case, marks removed, Arabic letter variants unified, everything but letters and digits a
// single space.
func fold(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(arabicLetters.Replace(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// slugify turns an English name into a slug: "Bosnia and Herzegovina" → "bosnia-and-herzegovina",
// "Curaçao" → "curacao".
func slugify(name string) string {
	return strings.ReplaceAll(fold(name), " ", "-")
}

func loadHand(path string) ([]handRegion, map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("hand gazetteer: %w", err)
	}
	defer f.Close()
	var regs []handRegion
	aliases := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		raw := sc.Text()
		t := strings.TrimSpace(raw)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if raw[0] != ' ' && raw[0] != '\t' {
			head, name, _ := strings.Cut(t, " : ")
			f := strings.Fields(head)
			if len(f) >= 2 && f[0] == "region" {
				regs = append(regs, handRegion{slug: f[1], name: strings.TrimSpace(name)})
			}
			continue
		}
		_, list, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		for _, a := range strings.Split(list, ",") {
			a = strings.Trim(strings.TrimSpace(a), "!?*")
			if k := fold(a); k != "" {
				aliases[k] = true
			}
		}
	}
	return regs, aliases, sc.Err()
}

func loadExtras(path string) (*extras, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("extra: %w", err)
	}
	defer f.Close()
	ex := &extras{slug: map[string]string{}, name: map[string]string{}, skip: map[string]bool{}, cs: map[string]bool{},
		person: map[string]bool{}, add: map[string][]string{}, dem: map[string][]string{}, drop: map[string]bool{}}
	sc := bufio.NewScanner(f)
	no := 0
	for sc.Scan() {
		no++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		verb, rest, _ := strings.Cut(t, " ")
		rest = strings.TrimSpace(rest)
		list := func(s string) []string {
			var out []string
			for _, a := range strings.Split(s, ",") {
				if a = strings.TrimSpace(a); a != "" {
					out = append(out, a)
				}
			}
			return out
		}
		switch verb {
		case "slug": // slug CC slug [: Display Name]
			head, disp, _ := strings.Cut(rest, ":")
			fs := strings.Fields(head)
			if len(fs) != 2 {
				return nil, fmt.Errorf("extra.txt:%d: want \"slug CC slug [: Name]\"", no)
			}
			ex.slug[fs[0]] = fs[1]
			if d := strings.TrimSpace(disp); d != "" {
				ex.name[fs[1]] = d
			}
		case "drop":
			for _, c := range list(rest) {
				ex.drop[c] = true
			}
		case "skip", "case", "person":
			m := map[string]map[string]bool{"skip": ex.skip, "case": ex.cs, "person": ex.person}[verb]
			for _, a := range list(rest) {
				m[fold(a)] = true
			}
		case "add", "demonym", "pladj": // add slug = a, b
			slug, as, ok := strings.Cut(rest, "=")
			if !ok {
				return nil, fmt.Errorf("extra.txt:%d: want \"%s slug = alias, ...\"", no, verb)
			}
			slug = strings.TrimSpace(slug)
			switch verb {
			case "add":
				ex.add[slug] = append(ex.add[slug], list(as)...)
			case "demonym":
				ex.dem[slug] = append(ex.dem[slug], list(as)...)
			case "pladj":
				for _, stem := range list(as) {
					ex.dem[slug] = append(ex.dem[slug], polishAdjective(stem)...)
				}
			}
		default:
			return nil, fmt.Errorf("extra.txt:%d: unknown verb %q", no, verb)
		}
	}
	return ex, sc.Err()
}
