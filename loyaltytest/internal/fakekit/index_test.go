package fakekit

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

type rule struct {
	id, rank, version int
}

// naiveOrdered is the behaviour OrderedMap replaces: a slice kept in order
// by scanning it on every put, as the fakes did. A value that keeps its
// place among its equals keeps the place its key was first put in.
type naiveOrdered struct {
	byRank bool
	list   []rule
	first  map[int]int // id → when first put
}

func (n *naiveOrdered) put(r rule, keepPlace bool) {
	i := slices.IndexFunc(n.list, func(x rule) bool { return x.id == r.id })
	if i >= 0 && keepPlace {
		n.list[i] = r
		if n.byRank {
			slices.SortStableFunc(n.list, func(a, b rule) int {
				return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(n.first[a.id], n.first[b.id]))
			})
		}
		return
	}
	n.first[r.id] = r.version
	if i >= 0 {
		n.list = slices.Delete(n.list, i, i+1)
	}
	if !n.byRank {
		n.list = append(n.list, r)
		return
	}
	j := len(n.list)
	for j > 0 && n.list[j-1].rank > r.rank {
		j--
	}
	n.list = slices.Insert(n.list, j, r)
}

// TestOrderedMapKeepsTheOrder puts random rules, new and replaced, in
// place and out, reading between puts at random, and compares every read
// with the scanning implementation.
func TestOrderedMapKeepsTheOrder(t *testing.T) {
	for _, byRank := range []bool{false, true} {
		for _, keepPlace := range []bool{false, true} {
			var compare func(a, b rule) int
			if byRank {
				compare = func(a, b rule) int { return cmp.Compare(a.rank, b.rank) }
			}
			rng := rand.New(rand.NewPCG(1, 2))
			m := NewOrderedMap[int](compare)
			n := &naiveOrdered{byRank: byRank, first: map[int]int{}}
			for step := range 2000 {
				r := rule{id: rng.IntN(300), rank: rng.IntN(20), version: step}
				if !byRank && rng.IntN(3) == 0 {
					r.rank = 0
				}
				m.Put(r.id, r, keepPlace)
				n.put(r, keepPlace)
				if rng.IntN(4) == 0 || step == 1999 {
					if got := m.Values(); !slices.Equal(got, n.list) {
						t.Fatalf("byRank=%v keepPlace=%v step %d:\n got %v\nwant %v", byRank, keepPlace, step, got, n.list)
					}
				}
				if got, ok := m.Get(r.id); !ok || got != r {
					t.Fatalf("Get(%d) = %v, %v; want %v", r.id, got, ok, r)
				}
			}
			if m.Len() != len(n.list) {
				t.Fatalf("Len %d, want %d", m.Len(), len(n.list))
			}
			if _, ok := m.Get(-1); ok {
				t.Fatal("Get of a key never put found something")
			}
		}
	}
}

type holder struct {
	seq int
	key string
}

// TestIndexFindsWhatAScanFinds moves random values between a few keys and
// checks First against a scan of the values, oldest first.
func TestIndexFindsWhatAScanFinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	keys := []string{"", "a", "b", "c"}
	x := NewIndex[string](func(a, b *holder) bool { return a.seq < b.seq })
	var all []*holder
	for step := range 3000 {
		switch {
		case len(all) < 5 || rng.IntN(3) == 0:
			h := &holder{seq: step, key: keys[rng.IntN(len(keys))]}
			all = append(all, h)
			x.Add(h.key, h)
		case rng.IntN(5) == 0:
			i := rng.IntN(len(all))
			x.Remove(all[i].key, all[i])
			all = slices.Delete(all, i, i+1)
		default:
			h := all[rng.IntN(len(all))]
			k := keys[rng.IntN(len(keys))]
			x.Move(h.key, k, h)
			h.key = k
		}
		for _, k := range keys {
			var want *holder
			if k != "" {
				if i := slices.IndexFunc(all, func(h *holder) bool { return h.key == k }); i >= 0 {
					want = all[i]
				}
			}
			got, ok := x.First(k)
			if got != want || ok != (want != nil) {
				t.Fatalf("step %d: First(%q) = %v, %v; want %v", step, k, got, ok, want)
			}
		}
	}
}
