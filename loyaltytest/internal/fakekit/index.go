package fakekit

import (
	"cmp"
	"slices"
)

// The fakes' state is indexed by every key a request or a seed looks things
// up by, so that no lookup scans the state: a seed of tens of thousands of
// rules loads in linear time, and a request costs the same with 100 or
// 100,000 customers.

// OrderedMap holds values by key in a kept order: insertion order, or the
// order of a comparison with ties in insertion order. Get and Put are map
// operations; the ordered list is rebuilt (sorted once) only when a Put
// could not keep it in place, and only when next read, so that loading n
// values costs O(n log n) at most, never O(n²). The zero value is not
// usable: use NewOrderedMap. Not safe for concurrent use (the fakes hold
// their mutex).
type OrderedMap[K comparable, V any] struct {
	compare func(a, b V) int // nil: insertion order only
	byKey   map[K]*orderedEntry[V]
	list    []*orderedEntry[V] // in order unless dirty
	values  []V                // the values of list, rebuilt with it
	dirty   bool
	seq     int64
}

type orderedEntry[V any] struct {
	v   V
	seq int64 // insertion order: breaks ties of compare
	pos int   // index in list while the map is not dirty
}

// NewOrderedMap returns an empty map ordered by compare (then by insertion),
// or by insertion alone when compare is nil.
func NewOrderedMap[K comparable, V any](compare func(a, b V) int) *OrderedMap[K, V] {
	return &OrderedMap[K, V]{compare: compare, byKey: map[K]*orderedEntry[V]{}}
}

// Put sets the value of key. A new key goes last among its equals. A key
// already held keeps its place among its equals when keepPlace is set, and
// goes last among them otherwise.
func (m *OrderedMap[K, V]) Put(key K, v V, keepPlace bool) {
	e := m.byKey[key]
	switch {
	case e != nil && keepPlace && m.compare == nil && !m.dirty:
		e.v = v
		m.values[e.pos] = v
		return
	case e != nil:
		e.v = v
		if !keepPlace {
			m.seq++
			e.seq = m.seq
		}
		m.dirty = true
		return
	}
	m.seq++
	e = &orderedEntry[V]{v: v, seq: m.seq}
	m.byKey[key] = e
	if m.dirty || (m.compare != nil && len(m.list) > 0 && m.compare(m.list[len(m.list)-1].v, v) > 0) {
		m.dirty = true
		m.list = append(m.list, e)
		return
	}
	e.pos = len(m.list)
	m.list = append(m.list, e)
	m.values = append(m.values, v)
}

// Get returns the value of key.
func (m *OrderedMap[K, V]) Get(key K) (V, bool) {
	if e := m.byKey[key]; e != nil {
		return e.v, true
	}
	var zero V
	return zero, false
}

// Len is the number of keys held.
func (m *OrderedMap[K, V]) Len() int { return len(m.byKey) }

// Values returns the values in order. The slice is the map's own: callers
// read it and do not keep it past the next Put.
func (m *OrderedMap[K, V]) Values() []V {
	if m.dirty {
		slices.SortFunc(m.list, func(a, b *orderedEntry[V]) int {
			if m.compare != nil {
				if c := m.compare(a.v, b.v); c != 0 {
					return c
				}
			}
			return cmp.Compare(a.seq, b.seq)
		})
		m.values = m.values[:0]
		for i, e := range m.list {
			e.pos = i
			m.values = append(m.values, e.v)
		}
		m.dirty = false
	}
	return m.values
}

// Index finds values by a key that need not be unique (a phone number, a
// POS account): First is the least value holding the key in the order of
// less, as a scan of the values in that order would find it. The zero key is
// never indexed (it means "none"). The zero value is not usable: use
// NewIndex. Not safe for concurrent use.
type Index[K comparable, V comparable] struct {
	less  func(a, b V) bool
	byKey map[K][]V // each in the order of less
}

// NewIndex returns an empty index ordering the values of one key by less.
func NewIndex[K comparable, V comparable](less func(a, b V) bool) *Index[K, V] {
	return &Index[K, V]{less: less, byKey: map[K][]V{}}
}

// Add indexes v under key (nothing for the zero key).
func (x *Index[K, V]) Add(key K, v V) {
	var zero K
	if key == zero {
		return
	}
	list := x.byKey[key]
	i, _ := slices.BinarySearchFunc(list, v, func(a, b V) int {
		if x.less(a, b) {
			return -1
		}
		return 1 // after its equals: insertion order
	})
	x.byKey[key] = slices.Insert(list, i, v)
}

// Remove drops v from key (nothing when v is not under key).
func (x *Index[K, V]) Remove(key K, v V) {
	list := x.byKey[key]
	if i := slices.Index(list, v); i >= 0 {
		list = slices.Delete(list, i, i+1)
	}
	if len(list) == 0 {
		delete(x.byKey, key)
		return
	}
	x.byKey[key] = list
}

// Move re-indexes v from key old to key new.
func (x *Index[K, V]) Move(old, new K, v V) {
	if old == new {
		return
	}
	x.Remove(old, v)
	x.Add(new, v)
}

// First returns the least value under key.
func (x *Index[K, V]) First(key K) (V, bool) {
	if list := x.byKey[key]; len(list) > 0 {
		return list[0], true
	}
	var zero V
	return zero, false
}
