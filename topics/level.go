package topics

// Severity is how grave a security report is: SeverityLow, SeverityMedium
// or SeverityHigh, or SeverityNone ("") when the item is not security news.
// Its string form is what JSON and the stores hold. Severities are ordered
// by Rank; a story's severity is the highest of its reports' (MaxSeverity).
type Severity string

// Severity levels, lowest first.
const (
	SeverityNone   Severity = ""
	SeverityLow    Severity = "low"
	SeverityMedium Severity = "medium"
	SeverityHigh   Severity = "high"
)

// Severities lists the levels by rank: Severities[s.Rank()] == s for
// every known level. The stores build their SQL ranking from it.
var Severities = [...]Severity{SeverityNone, SeverityLow, SeverityMedium, SeverityHigh}

// Rank orders severities: none 0, low 1, medium 2, high 3. An unknown
// value ranks as none.
func (s Severity) Rank() int {
	for i, l := range Severities {
		if s == l {
			return i
		}
	}
	return 0
}

// Compare returns -1, 0 or +1 as s ranks below, equal to or above o.
func (s Severity) Compare(o Severity) int {
	a, b := s.Rank(), o.Rank()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MaxSeverity returns the highest-ranked of the given severities, as its
// known level (SeverityNone when none is set or known).
func MaxSeverity(levels ...Severity) Severity {
	best := 0
	for _, l := range levels {
		best = max(best, l.Rank())
	}
	return Severities[best]
}
