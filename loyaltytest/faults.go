package loyaltytest

import (
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loyalty-go/loyalty"
)

// A Fault makes matching requests fail before they reach the platform, so
// that nothing changes; with AfterApply, after the platform has applied
// them, so that the change is made and its answer lost. With neither
// Status nor Drop set, the request is only delayed and then served.
type Fault struct {
	// Method matches the request method; empty matches any.
	Method string
	// Path is a path.Match pattern, e.g. "/api/management/members/*";
	// empty matches any path.
	Path string
	// Route matches the request's route template, the path with each id
	// segment written {id} as RecordedRequest.Route shows it, e.g.
	// "/v1/customers/{id}/points" or "/api/v2/points/adjust"; empty
	// matches any route.
	Route string
	// AfterApply serves the request first, so that the platform applies
	// it (its state changes, its webhooks go out), and then loses the
	// answer: Drop cuts the connection, Status answers in place of the
	// platform as a gateway in front of it would (502 or 504, a plain
	// text body), and Delay waits before either, or before sending the
	// platform's own answer. This is the answer a client cannot tell
	// from a failure: the loyalty SDK reports it as ErrMaybeApplied. A
	// Yotpo request the rate limit refuses (429) is not applied, and
	// still uses the fault up.
	AfterApply bool
	// Times is how many matching requests fail; zero means one.
	Times int
	// Status is the status answered, with the platform's error body.
	Status int
	// RetryAfter, when positive, is sent as Retry-After in whole seconds
	// (rounded up).
	RetryAfter time.Duration
	// Delay is waited before answering (or serving).
	Delay time.Duration
	// Drop closes the connection without a response.
	Drop bool
}

// RandomFaults makes a share of requests fail. The same Seed and the same
// order of requests give the same failures.
type RandomFaults struct {
	Rate   float64 // 0 to 1
	Seed   int64
	Status int // default 503
	// Statuses, when set, replaces Status: each fault answers one of
	// them, picked at random (e.g. 503 and 429 mixed).
	Statuses []int
	Drop     bool // drop the connection instead of answering Status
	// Path limits the faults to paths matching this path.Match pattern,
	// e.g. "/api/v2/*"; empty means every path.
	Path string
}

type faults struct {
	armed    atomic.Int32 // scripted faults waiting, so that the common case takes no lock
	mu       sync.Mutex
	scripted []*scriptedFault
	lastID   int
	random   RandomFaults
	rng      *rand.Rand
}

func newFaults(rf RandomFaults) *faults {
	if rf.Status == 0 {
		rf.Status = http.StatusServiceUnavailable
	}
	return &faults{random: rf, rng: rand.New(rand.NewSource(rf.Seed))}
}

// scriptedFault is an injected fault with its id; Times counts down.
type scriptedFault struct {
	id int
	Fault
}

// A PendingFault is an injected fault that has not used up its Times: ID
// names it for RemoveFault, Times is what is left.
type PendingFault struct {
	ID int
	Fault
}

// InjectFault scripts the next f.Times requests matching f to fail. Faults
// are matched in the order they were injected.
func (s *Server) InjectFault(f Fault) { s.injectFault(f) }

// injectFault is InjectFault returning the fault's id.
func (s *Server) injectFault(f Fault) PendingFault {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.lastID++
	sf := &scriptedFault{id: s.faults.lastID, Fault: f}
	s.faults.scripted = append(s.faults.scripted, sf)
	s.faults.armed.Store(int32(len(s.faults.scripted)))
	return PendingFault{ID: sf.id, Fault: f}
}

// Faults returns the injected faults still waiting, in matching order.
func (s *Server) Faults() []PendingFault {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	out := make([]PendingFault, len(s.faults.scripted))
	for i, sf := range s.faults.scripted {
		out[i] = PendingFault{ID: sf.id, Fault: sf.Fault}
	}
	return out
}

// RemoveFault removes the waiting fault with id and reports whether there
// was one.
func (s *Server) RemoveFault(id int) bool {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	for i, sf := range s.faults.scripted {
		if sf.id == id {
			s.faults.scripted = append(s.faults.scripted[:i], s.faults.scripted[i+1:]...)
			s.faults.armed.Store(int32(len(s.faults.scripted)))
			return true
		}
	}
	return false
}

// ClearFaults removes the scripted faults that have not fired yet.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.scripted = nil
	s.faults.armed.Store(0)
	s.faults.mu.Unlock()
}

// next returns the fault r must suffer, if any, using it up.
func (fs *faults) next(r *http.Request) (Fault, bool) {
	if fs.armed.Load() == 0 && fs.random.Rate <= 0 {
		return Fault{}, false
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.scripted {
		if (f.Method != "" && f.Method != r.Method) || !pathMatches(f.Path, r.URL.Path) ||
			(f.Route != "" && f.Route != routeTemplate(r.URL.Path)) {
			continue
		}
		out := f.Fault
		if f.Times--; f.Times == 0 {
			fs.scripted = append(fs.scripted[:i], fs.scripted[i+1:]...)
			fs.armed.Store(int32(len(fs.scripted)))
		}
		return out, true
	}
	if fs.random.Rate > 0 && pathMatches(fs.random.Path, r.URL.Path) && fs.rng.Float64() < fs.random.Rate {
		status := fs.random.Status
		if n := len(fs.random.Statuses); n > 0 {
			status = fs.random.Statuses[fs.rng.Intn(n)]
		}
		return Fault{Status: status, Drop: fs.random.Drop}, true
	}
	return Fault{}, false
}

// cut closes the connection of w without an answer, and does not return.
// A connection that cannot be taken over (HTTP/2, a ResponseWriter that is
// not an http.Hijacker) is aborted by panicking http.ErrAbortHandler, which
// net/http turns into a reset stream or a closed connection.
func cut(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			panic(http.ErrAbortHandler) // nothing more to do: unwind the handler
		}
	}
	panic(http.ErrAbortHandler)
}

// wait waits d, and reports false when the request or the server ended
// first.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.closing:
	}
	return false
}

// applyThenLose serves r to the platform into a buffer, so that its state
// changes, and then loses the answer as f says (Fault.AfterApply).
func (s *Server) applyThenLose(w http.ResponseWriter, r *http.Request, platform loyalty.Platform, f Fault) {
	buf := httptest.NewRecorder()
	s.servePlatform(buf, r, platform)
	if !s.wait(r, f.Delay) {
		return
	}
	if f.Drop {
		cut(w)
	}
	if f.Status != 0 {
		// A gateway's answer, not the platform's: plain text.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, strconv.Itoa(f.Status)+" "+http.StatusText(f.Status)+"\n")
		return
	}
	for k, vs := range buf.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(buf.Code)
	_, _ = w.Write(buf.Body.Bytes())
}

// apply carries out f and reports whether the request was answered (or
// dropped) rather than passed on.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, platform loyalty.Platform, f Fault) bool {
	if !s.wait(r, f.Delay) {
		return true
	}
	if f.Drop {
		cut(w)
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter > 0 {
		secs := int64((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	}
	writePlatformError(w, platform, f.Status, http.StatusText(f.Status))
	return true
}

// pathMatches reports whether p matches pattern; an empty pattern matches
// every path.
func pathMatches(pattern, p string) bool {
	if pattern == "" {
		return true
	}
	ok, _ := path.Match(pattern, p)
	return ok
}

// faultNote names f for the request log (RecordedRequest.Fault).
func faultNote(f Fault, faulted bool) string {
	if !faulted {
		return ""
	}
	var what string
	switch {
	case f.Drop:
		what = "drop"
	case f.Status != 0:
		what = strconv.Itoa(f.Status)
	default:
		what = "delay"
	}
	if f.AfterApply {
		return "applied, then " + what
	}
	return what
}
