package loyalty

import "errors"

// Client talks to the configured loyalty platforms. It is safe for
// concurrent use; build one per set of credentials and reuse it.
type Client struct {
	s settings
}

// NewClient builds a Client from options, configuring only the platforms they
// name. It reports the first invalid option by name.
func NewClient(opts ...Option) (*Client, error) {
	s := settings{retry: DefaultRetryPolicy}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	if s.yotpo != nil && s.influenceio != nil {
		return nil, errors.New("WithYotpo and WithInfluenceIO: a Client has one commerce platform, since both would serve Customers and Orders; build two Clients")
	}
	if s.qualifio == nil && s.yotpo == nil && s.influenceio == nil && s.monterosa == nil {
		return nil, errors.New("NewClient: no platform configured; pass WithQualifio, WithYotpo, WithInfluenceIO or WithMonterosa")
	}
	return &Client{s: s}, nil
}
