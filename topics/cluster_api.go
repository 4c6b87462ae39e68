package topics

// EachDoc calls fn with the id and story id of every doc the clusterer
// holds, in no particular order: the clusterer's current grouping, which
// callers that store stories compare with what they stored. fn must not
// call the Clusterer.
func (c *Clusterer) EachDoc(fn func(docID, storyID string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.all {
		if d.story != nil {
			fn(d.id, d.story.id)
		}
	}
}
