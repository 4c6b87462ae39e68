package topics

import (
	"bufio"
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./internal/gengazetteer

//go:embed data/*.txt
var dataFS embed.FS

// Region is one place a news item can be tagged with.
type Region struct {
	Slug string // lower-case slug, e.g. "iraq", "kurdistan-region"
	Name string // display name, e.g. "Kurdistan Region"
}

// entity kinds.
const (
	kindRegion = 'r'
	kindPlace  = 'p'
	kindGroup  = 'g'
	kindPerson = 'n'
)

// entity is something the gazetteer recognises: a region itself, a place in it, an armed group or
// institution, or a person. key is its canonical, language-independent identity.
type entity struct {
	key     string
	kind    byte
	name    string
	regions []int         // indexes into gazetteer.regions, parents included
	topics  []topicWeight // topic evidence carried by a mention
	within  int           // for a place: the entity of the larger place it lies in (<key), or -1
	role    byte          // roleName, roleDemonym or roleCapital
	state   bool          // for a group: a state's own forces or institution ("IDF", "Knesset")
}

// entity roles: how a mention names its region.
const (
	roleName    = 0   // the region's or the place's own name
	roleDemonym = 'd' // "Venezuelan": weaker evidence that an item is about the place
	roleCapital = 'c' // "Caracas"
)

type topicWeight struct {
	topic  int
	weight float64
}

// gazetteer is the compiled content of data/gazetteer.txt.
type gazetteer struct {
	regionKeys []uint64 // feature hash of each region's entity key ("r:slug"), parallel to regions
	regions    []Region
	regionIdx  map[string]int
	parent     []int // parent region index or -1
	entities   []entity
	m          *matcher
}

var (
	defaultOnce sync.Once
	defaultGaz  *gazetteer
	defaultRul  *rules
	defaultFeat *featurizer
	defaultErr  error
)

// builtin returns the compiled embedded data. The data is part of the program, so an error here
// is a bug caught by the package tests; callers still get it instead of a panic.
func builtin() (*gazetteer, *rules, error) {
	defaultOnce.Do(loadBuiltin)
	return defaultGaz, defaultRul, defaultErr
}

// loadBuiltin compiles the embedded gazetteer, rules (topic terms, event concepts) and the
// model's lexicon, the four lexicons in one word index: an analysis looks a text up once for all.
func loadBuiltin() {
	defaultGaz, defaultErr = loadGazetteer("data/gazetteer.txt", "data/world.txt")
	if defaultErr != nil {
		return
	}
	defaultRul, defaultErr = loadRules(defaultGaz)
	if defaultErr != nil {
		return
	}
	lex, lkeys, err := loadLexicon(defaultGaz.m.ix, "data/lexicon.txt")
	if err != nil {
		defaultErr = err
		return
	}
	defaultFeat = newFeaturizer(lex, lkeys)
}

// Regions returns every region the gazetteer knows, in data-file order.
func Regions() []Region {
	g, _, err := builtin()
	if err != nil {
		return nil
	}
	return slices.Clone(g.regions)
}

// IsRegion reports whether s is a known region slug.
func IsRegion(s string) bool {
	g, _, err := builtin()
	if err != nil {
		return false
	}
	_, ok := g.regionIdx[s]
	return ok
}

// regionSlugs returns the slugs of every region.
func regionSlugs() []string {
	g, _, err := builtin()
	if err != nil {
		return nil
	}
	out := make([]string, len(g.regions))
	for i, r := range g.regions {
		out[i] = r.Slug
	}
	return out
}

// dataLine is one meaningful line of a data file.
type dataLine struct {
	no     int
	indent bool
	text   string
}

func readData(name string) ([]dataLine, error) {
	f, err := dataFS.Open(name)
	if err != nil {
		return nil, fmt.Errorf("topics: open %s: %w", name, err)
	}
	defer f.Close()
	var out []dataLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	no := 0
	for sc.Scan() {
		no++
		raw := sc.Text()
		t := strings.TrimSpace(raw)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		out = append(out, dataLine{no: no, indent: raw[0] == ' ' || raw[0] == '\t', text: t})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("topics: read %s: %w", name, err)
	}
	return out, nil
}

// splitAliases splits a comma-separated alias list.
func splitAliases(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// parseHeader parses "kind key attr=v attr=v : Display Name".
func parseHeader(s string) (kind, key string, attrs map[string]string, name string, err error) {
	head, name, _ := strings.Cut(s, " : ")
	name = strings.TrimSpace(name)
	f := strings.Fields(head)
	if len(f) < 2 {
		return "", "", nil, "", fmt.Errorf("want \"kind key [attr=value...] : Name\"")
	}
	attrs = map[string]string{}
	for _, a := range f[2:] {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return "", "", nil, "", fmt.Errorf("bad attribute %q", a)
		}
		attrs[k] = v
	}
	return f[0], f[1], attrs, name, nil
}

// loadGazetteer compiles the gazetteer files in order. A region declared by an earlier file may
// be reopened by a later one (the generated world.txt adds names to the hand-made regions); within
// one file every key is declared once.
func loadGazetteer(names ...string) (*gazetteer, error) {
	g := &gazetteer{regionIdx: map[string]int{}, m: newMatcher()}
	st := &loadState{keys: map[string]bool{}, regionEnt: map[int]int{}}
	for _, name := range names {
		if err := g.loadFile(name, st); err != nil {
			return nil, err
		}
	}
	for _, r := range g.regions {
		g.regionKeys = append(g.regionKeys, hashKey(fEntity, "r:"+r.Slug))
	}
	return g, g.resolve(st)
}

// loadState is what loading carries from one gazetteer file to the next.
type loadState struct {
	todo      []pending
	keys      map[string]bool
	regionEnt map[int]int // region index → its entity
}

type pending struct {
	file    string
	line    int
	ent     int
	regions []string
	parent  string
	topics  string
	within  string
}

func (g *gazetteer) loadFile(name string, st *loadState) error {
	lines, err := readData(name)
	if err != nil {
		return err
	}
	fileKeys := map[string]bool{} // keys declared by this file
	cur := -1                     // current header entity
	curRegion := -1               // current region (for place lines)
	for _, l := range lines {
		fail := func(format string, a ...any) error {
			return fmt.Errorf("topics: %s:%d: %s", name, l.no, fmt.Sprintf(format, a...))
		}
		if !l.indent {
			kind, key, attrs, disp, err := parseHeader(l.text)
			if err != nil {
				return fail("%v", err)
			}
			p := pending{file: name, line: l.no, ent: len(g.entities)}
			e := entity{name: disp, within: -1}
			switch kind {
			case "region":
				if fileKeys["r:"+key] {
					return fail("duplicate region %q", key)
				}
				if ri, ok := g.regionIdx[key]; ok { // declared by an earlier file: reopen it
					fileKeys["r:"+key] = true
					if len(attrs) > 0 {
						return fail("reopened region %q cannot take attributes", key)
					}
					cur, curRegion = st.regionEnt[ri], ri
					continue
				}
				g.regionIdx[key] = len(g.regions)
				curRegion = len(g.regions)
				st.regionEnt[curRegion] = len(g.entities)
				g.regions = append(g.regions, Region{Slug: key, Name: disp})
				g.parent = append(g.parent, -1)
				e.key, e.kind = "r:"+key, kindRegion
				p.regions = []string{key}
				p.parent = attrs["parent"]
			case "group":
				e.key, e.kind = "g:"+key, kindGroup
				e.state = attrs["state"] == "yes"
				curRegion = -1
			case "person":
				e.key, e.kind = "n:"+key, kindPerson
				curRegion = -1
			default:
				return fail("unknown kind %q", kind)
			}
			if st.keys[e.key] {
				return fail("duplicate key %q", e.key)
			}
			st.keys[e.key], fileKeys[e.key] = true, true
			if r := attrs["regions"]; r != "" {
				p.regions = append(p.regions, strings.Split(r, ",")...)
			}
			p.topics = attrs["topics"]
			cur = len(g.entities)
			g.entities = append(g.entities, e)
			st.todo = append(st.todo, p)
			continue
		}
		if cur < 0 {
			return fail("alias line before any header")
		}
		head, aliases, ok := strings.Cut(l.text, "=")
		if !ok {
			return fail("want \"[key [+region...]] = alias, ...\"")
		}
		target := cur
		if f := strings.Fields(head); len(f) == 1 && f[0] == "demonym" && curRegion >= 0 {
			// "demonym = Iraqi, Iraqis": the region's demonyms. They are the region itself to
			// everything but placement, which weighs a demonym less than a name.
			re := g.entities[cur]
			target = len(g.entities)
			g.entities = append(g.entities, entity{key: re.key, kind: kindRegion, name: re.name, within: -1, role: roleDemonym})
			st.todo = append(st.todo, pending{file: name, line: l.no, ent: target, regions: []string{g.regions[curRegion].Slug}})
		} else if len(f) > 0 {
			if curRegion < 0 {
				return fail("place lines are only allowed under a region")
			}
			key := "p:" + f[0]
			if st.keys[key] {
				return fail("duplicate key %q", key)
			}
			st.keys[key] = true
			p := pending{file: name, line: l.no, ent: len(g.entities), regions: []string{g.regions[curRegion].Slug}}
			e := entity{key: key, kind: kindPlace, name: f[0], within: -1}
			for _, x := range f[1:] {
				switch {
				case strings.HasPrefix(x, "+"):
					p.regions = append(p.regions, x[1:])
				case strings.HasPrefix(x, "<"):
					p.within = "p:" + x[1:]
				case x == "demonym":
					e.role = roleDemonym
				case x == "capital":
					e.role = roleCapital
				default:
					return fail("want +region, <place, demonym or capital, got %q", x)
				}
			}
			target = len(g.entities)
			g.entities = append(g.entities, e)
			st.todo = append(st.todo, p)
		}
		for _, a := range splitAliases(aliases) {
			if !g.m.add(a, int32(target)) {
				return fail("alias %q has no words", a)
			}
		}
	}
	return nil
}

// resolve links what the files named by key: parents of regions, the regions of every entity
// (parents included), places within places, and topic weights.
func (g *gazetteer) resolve(st *loadState) error {
	todo := st.todo
	// Resolve parents, then region lists (with parents) and topic weights.
	for _, p := range todo {
		if p.parent == "" {
			continue
		}
		pi, ok := g.regionIdx[p.parent]
		if !ok {
			return fmt.Errorf("topics: %s:%d: unknown parent region %q", p.file, p.line, p.parent)
		}
		g.parent[g.regionIdx[strings.TrimPrefix(g.entities[p.ent].key, "r:")]] = pi
	}
	byKey := map[string]int{}
	for i, e := range g.entities {
		if _, ok := byKey[e.key]; !ok { // a region's demonyms share its key
			byKey[e.key] = i
		}
	}
	for _, p := range todo {
		e := &g.entities[p.ent]
		if p.within != "" {
			w, ok := byKey[p.within]
			if !ok || g.entities[w].kind != kindPlace {
				return fmt.Errorf("topics: %s:%d: unknown place %q", p.file, p.line, strings.TrimPrefix(p.within, "p:"))
			}
			e.within = w
		}
		for _, r := range p.regions {
			ri, ok := g.regionIdx[r]
			if !ok {
				return fmt.Errorf("topics: %s:%d: unknown region %q", p.file, p.line, r)
			}
			for depth := 0; ri >= 0 && depth < 8; depth++ {
				if !slices.Contains(e.regions, ri) {
					e.regions = append(e.regions, ri)
				}
				ri = g.parent[ri]
			}
		}
		if p.topics != "" {
			for _, tw := range strings.Split(p.topics, ",") {
				t, w, _ := strings.Cut(tw, ":")
				ti := slices.Index(builtinTopics, t)
				if ti < 0 {
					return fmt.Errorf("topics: %s:%d: unknown topic %q", p.file, p.line, t)
				}
				wf := 1.0
				if w != "" {
					var err error
					if wf, err = strconv.ParseFloat(w, 64); err != nil {
						return fmt.Errorf("topics: %s:%d: bad weight %q: %w", p.file, p.line, w, err)
					}
				}
				e.topics = append(e.topics, topicWeight{topic: ti, weight: wf})
			}
		}
	}
	return nil
}

// mention is one recognised entity in a text.
type mention struct {
	ent        int
	start, end int // token positions
}

// find returns the entity mentions in toks.
func (g *gazetteer) find(toks []token, dst []mention) []mention {
	return g.findLooked(toks, g.m.ix.lookup(toks, lookups{}), dst)
}

// findLooked is find with the tokens looked up in the gazetteer's word index already.
func (g *gazetteer) findLooked(toks []token, lk lookups, dst []mention) []mention {
	g.m.scanLooked(toks, lk, func(id int32, s, e int) {
		dst = append(dst, mention{ent: int(id), start: s, end: e})
	})
	return dst
}

// contains reports whether place a is place b or lies (transitively) within it.
func (g *gazetteer) contains(b, a int) bool {
	for depth := 0; a >= 0 && depth < 8; depth++ {
		if a == b {
			return true
		}
		a = g.entities[a].within
	}
	return false
}

// LookupRegions returns the sorted region slugs a free-text place name stands for: a slug
// ("iraq"), a name, demonym, spelling or place in any supported script ("Türkiye", "Hewlêr",
// "أربيل" → kurdistan-region and iraq), or a group that belongs to a place ("Houthis" → yemen).
// It returns nil when nothing is recognised.
func LookupRegions(name string) []string {
	g, _, err := builtin()
	if err != nil {
		return nil
	}
	name = cutBytes(name, 256)
	if _, ok := g.regionIdx[name]; ok {
		return []string{name}
	}
	toks := tokenize(name, nil)
	var out []string
	covered := 0
	g.m.scan(toks, func(id int32, s, e int) {
		covered += e - s
		for _, r := range g.entities[id].regions {
			if slug := g.regions[r].Slug; !slices.Contains(out, slug) {
				out = append(out, slug)
			}
		}
	})
	if covered*2 < len(toks) { // mostly unrecognised words: not a place name
		return nil
	}
	slices.Sort(out)
	return out
}

// regionKey returns the entity feature hash of region i, as extractFeatures hashes a mention of it.
func (g *gazetteer) regionKey(i int) uint64 {
	return g.regionKeys[i]
}
