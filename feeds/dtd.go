package feeds

import (
	"bytes"
	"regexp"
)

var (
	// internalSubsetRe finds the internal subset of a DOCTYPE declaration.
	internalSubsetRe = regexp.MustCompile(`(?is)<!DOCTYPE[^\[>]*\[(.*?)\]\s*>`)
	// entityDefRe matches one entity declaration and captures an optional
	// "%" (parameter entity) and the start of its definition.
	entityDefRe = regexp.MustCompile(`(?is)<!ENTITY\s+(%\s+)?[^\s"']+\s+("[^"]*"|'[^']*'|SYSTEM|PUBLIC)`)
)

// maxEntityDecls bounds the entity declarations a benign document may carry.
const maxEntityDecls = 64

// hostileDTD reports whether a document's DTD declares entities that could
// expand (entity references inside entity values: billion laughs), reach
// outside (SYSTEM or PUBLIC: XXE), or declare parameter entities. Plain
// declarations such as <!ENTITY nbsp "&#160;"> are harmless: encoding/xml
// never expands DTD entities, and their names are decoded as HTML later.
func hostileDTD(doc []byte) bool {
	head := doc[:min(len(doc), 64<<10)]
	if !entityDeclRe.Match(head) {
		return false
	}
	m := internalSubsetRe.FindSubmatch(head)
	if m == nil {
		return true // an entity declaration outside a well-formed subset
	}
	subset := m[1]
	decls := entityDefRe.FindAllSubmatch(subset, maxEntityDecls+1)
	if len(decls) > maxEntityDecls || len(decls) != len(entityDeclRe.FindAll(subset, -1)) {
		return true
	}
	for _, d := range decls {
		if len(d[1]) > 0 {
			return true // parameter entity
		}
		v := d[2]
		if v[0] != '"' && v[0] != '\'' {
			return true // external entity
		}
		if refersToEntity(v[1 : len(v)-1]) {
			return true
		}
	}
	return false
}

// refersToEntity reports whether an entity value contains a named entity
// reference (character references such as &#160; are fine).
func refersToEntity(v []byte) bool {
	for {
		i := bytes.IndexByte(v, '&')
		if i < 0 {
			return false
		}
		if i+1 >= len(v) || v[i+1] != '#' {
			return true
		}
		v = v[i+1:]
	}
}
