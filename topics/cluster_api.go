package topics

// Partition returns the story of every doc the clusterer holds, doc id →
// story id: the clusterer's current grouping, which callers that store
// stories compare with what they stored.
func (c *Clusterer) Partition() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]string, len(c.docs))
	for id, d := range c.docs {
		if d.story != nil {
			out[id] = d.story.id
		}
	}
	return out
}
