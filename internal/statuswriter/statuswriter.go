// Package statuswriter wraps an http.ResponseWriter to remember the status
// a handler answered: the webhook Handler's observer and loyaltytest's
// request log both need it.
package statuswriter

import (
	"bufio"
	"net"
	"net/http"
)

// Writer is w with the status it answered (0 until the handler writes).
// It passes Hijack and Flush on (the fake's connection-cut fault hijacks)
// and unwraps for http.ResponseController.
type Writer struct {
	http.ResponseWriter
	Status int
}

func (w *Writer) WriteHeader(code int) {
	if w.Status == 0 {
		w.Status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *Writer) Write(b []byte) (int, error) {
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *Writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if hj, ok := w.ResponseWriter.(http.Hijacker); ok {
		return hj.Hijack()
	}
	return nil, nil, http.ErrNotSupported
}

func (w *Writer) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *Writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
