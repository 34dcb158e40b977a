package yotpofake

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// rewardsState is the state of coupon codes, referral shares and privacy
// requests; guarded by Fake.mu. Its maps are made on first use.
type rewardsState struct {
	codes        map[string]*uploadedCode  // code → uploaded code
	byOption     map[int64][]*uploadedCode // option id → its codes, in upload order
	unused       map[int64]int             // option id → index in byOption of its first code that may be unused
	shares       []ReferralShare
	sharesNaming map[string]int  // lower-cased e-mail → shares naming it (sender or friend)
	dataRequests map[string]bool // lower-cased e-mails that asked for their data (GET /privacy/data)
}

// uploadedCode is a coupon code uploaded for a redemption option.
type uploadedCode struct {
	id           int64 // the code record's id
	code         string
	optionID     int64
	used         bool      // a redemption handed it out
	holder       *customer // who got it; nil while unused or once anonymized
	redemptionID int64     // the redemption that handed it out; 0 while unused or once anonymized
}

// nextUploadedCode returns the option's next unused uploaded code. out is
// true when codes were uploaded for the option and all are handed out.
// Callers hold f.mu.
// Codes are handed out in upload order and never handed back, so the
// search resumes where the last one stopped.
func (f *Fake) nextUploadedCode(optionID int64) (c *uploadedCode, out bool) {
	codes := f.rewards.byOption[optionID]
	i := f.rewards.unused[optionID]
	for i < len(codes) && codes[i].used {
		i++
	}
	if len(codes) > 0 {
		f.rewards.unused[optionID] = i
	}
	if i < len(codes) {
		return codes[i], false
	}
	return nil, len(codes) > 0
}

// codeJSON is the answer of GET /redemption_codes (documented:
// https://loyaltyapi.yotpo.com/reference/get-redemption-code-data). Its
// third_party_id is the holder's customer id (decided: the reference does
// not say whose id it is); email, point_redemption_id and third_party_id
// are null while the code is unused.
type codeJSON struct {
	ID                int64   `json:"id"`
	Code              string  `json:"code"`
	Email             *string `json:"email"`
	PointRedemptionID *int64  `json:"point_redemption_id"`
	ThirdPartyID      *string `json:"third_party_id"`
}

// getRedemptionCode serves GET /redemption_codes?code=: 404 for a code
// never uploaded, or one whose third_party_id is not the third_party_id
// given (decided).
func (f *Fake) getRedemptionCode(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code := q.Get(contract.YotpoQueryCode)
	if code == "" {
		WriteError(w, http.StatusBadRequest, "code is required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.rewards.codes[code]
	holder := ""
	if c != nil && c.holder != nil {
		holder = c.holder.thirdPartyID
	}
	if tp := q.Get(contract.YotpoQueryThirdPartyID); c == nil || (tp != "" && tp != holder) {
		WriteError(w, http.StatusNotFound, "Redemption code not found")
		return
	}
	j := codeJSON{ID: c.id, Code: c.code}
	if c.holder != nil {
		j.Email, j.ThirdPartyID = &c.holder.email, &holder
	}
	if c.redemptionID != 0 {
		j.PointRedemptionID = &c.redemptionID
	}
	writeJSON(w, j)
}

// postRedemptionCodes serves POST /redemption_codes: codes, comma-separated,
// for redemption_option_id. More than contract.YotpoMaxCodesPerUpload codes
// is 422; so is a code uploaded before or twice in the call (decided), and
// nothing is stored then.
func (f *Fake) postRedemptionCodes(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RedemptionOptionID *fakekit.Int `json:"redemption_option_id"`
		Codes              string       `json:"codes"`
	}
	if !f.readBody(w, r, &req) {
		return
	}
	switch {
	case req.RedemptionOptionID == nil:
		WriteError(w, http.StatusBadRequest, "redemption_option_id is required")
		return
	case strings.TrimSpace(req.Codes) == "":
		WriteError(w, http.StatusBadRequest, "codes is required")
		return
	}
	codes := strings.Split(req.Codes, ",")
	if len(codes) > contract.YotpoMaxCodesPerUpload {
		WriteError(w, http.StatusUnprocessableEntity, "At most "+strconv.Itoa(contract.YotpoMaxCodesPerUpload)+" codes per request")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	optionID := int64(*req.RedemptionOptionID)
	if _, ok := f.option(optionID); !ok {
		WriteError(w, http.StatusNotFound, "Redemption option not found")
		return
	}
	seen := make(map[string]bool, len(codes))
	for i, c := range codes {
		c = strings.TrimSpace(c)
		codes[i] = c
		if c == "" || seen[c] || f.rewards.codes[c] != nil {
			WriteError(w, http.StatusUnprocessableEntity, "Code "+strconv.Quote(c)+" is empty or already uploaded")
			return
		}
		seen[c] = true
	}
	if f.rewards.codes == nil {
		f.rewards.codes, f.rewards.byOption, f.rewards.unused = map[string]*uploadedCode{}, map[int64][]*uploadedCode{}, map[int64]int{}
	}
	for _, c := range codes {
		u := &uploadedCode{id: f.nextID(), code: c, optionID: optionID}
		f.rewards.codes[c] = u
		f.rewards.byOption[optionID] = append(f.rewards.byOption[optionID], u)
	}
	writeOK(w)
}
