package monterosafake

// Config is the space configuration served by GET /api/loyalty/config and
// used to process actions. Its JSON is the fake's wire form
// (https://products.monterosa.co/mic/reference/audience-api-preview/loyalty-api).
type Config struct {
	Metrics    []Metric       `json:"metrics"`
	Inventory  []InventorySet `json:"inventory"`
	Challenges []Challenge    `json:"challenges"`
}

// Metric is a numeric per-user value. A reward moves it within
// [MinimumValue, MaximumValue]; when both are zero it is unbounded.
type Metric struct {
	ID           string  `json:"id"`
	Title        string  `json:"title"`
	Media        string  `json:"media"`
	DefaultValue float64 `json:"defaultValue"`
	MinimumValue float64 `json:"minimumValue"`
	MaximumValue float64 `json:"maximumValue"`
}

// InventorySet is a set of items users can own.
type InventorySet struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Items []Item `json:"items"`
}

// Item is one inventory item.
type Item struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Media string `json:"media"`
}

// Challenge groups missions; it completes when all its missions have, and
// then grants its rewards.
type Challenge struct {
	ID            string       `json:"id"`
	Title         string       `json:"title"`
	Subtitle      string       `json:"subtitle"`
	Notification  Notification `json:"notification"`
	ShowInProfile bool         `json:"showInProfile"`
	ShowInRail    bool         `json:"showInRail"`
	Time          Time         `json:"time"`
	Missions      []Mission    `json:"missions"`
	Rewards       []Reward     `json:"rewards"`
}

// Notification is what a user is told when a mission or challenge completes.
type Notification struct {
	Display string `json:"display"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

// Time is a challenge's window in epoch ms; zero means no bound.
type Time struct {
	ShowInUI bool  `json:"showInUI"`
	From     int64 `json:"from"`
	To       int64 `json:"to"`
}

// Mission completes when an action whose name equals Type is reported.
type Mission struct {
	ID           string       `json:"id"`
	Title        string       `json:"title"`
	Type         string       `json:"type"`
	Notification Notification `json:"notification"`
}

// Reward types; loyaltytest re-exports them as MonterosaRewardMetric and
// MonterosaRewardInventory.
const (
	RewardMetric    = "metric"
	RewardInventory = "inventory"
)

// Reward is granted when its challenge completes: a metric increment
// (MetricID, MetricQuantity) or an inventory item.
type Reward struct {
	Type            string  `json:"type"` // "metric" or "inventory"
	MetricID        string  `json:"metricId,omitempty"`
	MetricQuantity  float64 `json:"metricQuantity,omitempty"`
	InventorySetID  string  `json:"inventorySetId,omitempty"`
	InventoryItemID string  `json:"inventoryItemId,omitempty"`
}

// Coupon is served by GET /api/loyalty/coupons/{id}; the mixed naming is the
// vendor's.
type Coupon struct {
	ID                 string `json:"id"`
	Title              string `json:"title"`
	Link               string `json:"link"`
	CouponID           string `json:"coupon_id"`
	CouponType         string `json:"coupon_type"`
	CouponCode         string `json:"coupon_code"`
	ShowOnNotification bool   `json:"showOnNotification"`
}

// clone deep-copies c so that callers cannot change the fake's state.
func (c Config) clone() Config {
	out := Config{
		Metrics:    append([]Metric{}, c.Metrics...),
		Inventory:  make([]InventorySet, len(c.Inventory)),
		Challenges: make([]Challenge, len(c.Challenges)),
	}
	for i, s := range c.Inventory {
		s.Items = append([]Item{}, s.Items...)
		out.Inventory[i] = s
	}
	for i, ch := range c.Challenges {
		ch.Missions = append([]Mission{}, ch.Missions...)
		ch.Rewards = append([]Reward{}, ch.Rewards...)
		out.Challenges[i] = ch
	}
	return out
}

func (c *Config) metric(id string) (Metric, bool) {
	for _, m := range c.Metrics {
		if m.ID == id {
			return m, true
		}
	}
	return Metric{}, false
}
