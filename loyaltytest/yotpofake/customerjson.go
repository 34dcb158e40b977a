package yotpofake

import (
	"net/http"
	"strconv"

	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// appendJSON appends j as encoding/json encodes it (TestCustomerJSON
// compares the two), without reflection: GET /customers is the fake's
// most frequent answer. The nested referral and history members, absent
// unless asked for, go through encoding/json.
func (j *customerJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"email":`...)
	b = fakekit.AppendJSONString(b, j.Email)
	b = append(b, `,"first_name":`...)
	b = fakekit.AppendJSONString(b, j.FirstName)
	b = append(b, `,"last_name":`...)
	b = fakekit.AppendJSONString(b, j.LastName)
	b = append(b, `,"phone_number":`...)
	b = fakekit.AppendJSONString(b, j.PhoneNumber)
	b = append(b, `,"third_party_id":`...)
	b = fakekit.AppendJSONString(b, j.ThirdPartyID)
	b = append(b, `,"thirty_party_id":`...)
	b = fakekit.AppendJSONString(b, j.ThirtyPartyID)
	b = append(b, `,"pos_account_id":`...)
	b = fakekit.AppendJSONStringPtr(b, j.POSAccountID)
	b = append(b, `,"has_store_account":`...)
	b = strconv.AppendBool(b, j.HasStoreAccount)
	b = append(b, `,"points_balance":`...)
	b = strconv.AppendInt(b, j.PointsBalance, 10)
	b = append(b, `,"points_earned":`...)
	b = strconv.AppendInt(b, j.PointsEarned, 10)
	b = append(b, `,"points_expire_at":`...)
	b = fakekit.AppendJSONStringPtr(b, j.PointsExpireAt)
	b = append(b, `,"total_spend_cents":`...)
	b = strconv.AppendInt(b, j.TotalSpendCents, 10)
	b = append(b, `,"total_purchases":`...)
	b = strconv.AppendInt(b, j.TotalPurchases, 10)
	b = append(b, `,"perks_redeemed":`...)
	b = strconv.AppendInt(b, j.PerksRedeemed, 10)
	b = append(b, `,"last_purchase_at":`...)
	b = fakekit.AppendJSONStringPtr(b, j.LastPurchaseAt)
	b = append(b, `,"last_seen_at":`...)
	b = fakekit.AppendJSONString(b, j.LastSeenAt)
	b = append(b, `,"credit_balance":`...)
	b = fakekit.AppendJSONString(b, j.CreditBalance)
	b = append(b, `,"credit_balance_in_customer_currency":`...)
	b = fakekit.AppendJSONString(b, j.CreditBalanceInCurrency)
	b = append(b, `,"opt_in":`...)
	b = strconv.AppendBool(b, j.OptIn)
	b = append(b, `,"opted_in_at":`...)
	b = fakekit.AppendJSONStringPtr(b, j.OptedInAt)
	b = append(b, `,"tags":`...)
	b = fakekit.AppendJSONString(b, j.Tags)
	b = append(b, `,"birthday_month":`...)
	b = fakekit.AppendJSONIntPtr(b, j.BirthdayMonth)
	b = append(b, `,"birth_day":`...)
	b = fakekit.AppendJSONIntPtr(b, j.BirthDay)
	b = append(b, `,"birthday_year":`...)
	b = fakekit.AppendJSONIntPtr(b, j.BirthdayYear)
	b = append(b, `,"vip_tier_name":`...)
	b = fakekit.AppendJSONStringPtr(b, j.VIPTierName)
	b = append(b, `,"vip_tier_entry_date":`...)
	b = fakekit.AppendJSONStringPtr(b, j.VIPTierEntryDate)
	b = append(b, `,"vip_tier_expiration":`...)
	b = fakekit.AppendJSONStringPtr(b, j.VIPTierExpiration)
	b = append(b, `,"vip_tier_actions_completed":`...)
	b = j.VIPTierActionsCompleted.appendJSON(b)
	b = append(b, `,"vip_tier_upgrade_requirements":`...)
	b = j.VIPTierUpgrade.appendJSON(b)
	b = append(b, `,"vip_tier_maintenance_requirements":`...)
	b = j.VIPTierMaintenance.appendJSON(b)
	if j.ReferralCode != nil {
		b = append(b, `,"referral_code":`...)
		b = fakekit.AppendJSONValue(b, j.ReferralCode)
	}
	if j.ReferralLink != nil {
		b = append(b, `,"referral_link":`...)
		b = fakekit.AppendJSONValue(b, j.ReferralLink)
	}
	if j.HistoryItems != nil {
		b = append(b, `,"history_items":`...)
		b = fakekit.AppendJSONValue(b, j.HistoryItems)
	}
	return append(b, '}')
}

func (a *vipActions) appendJSON(b []byte) []byte {
	b = append(b, `{"points_earned":`...)
	b = strconv.AppendInt(b, a.PointsEarned, 10)
	b = append(b, `,"amount_spent_cents":`...)
	b = strconv.AppendInt(b, a.AmountSpentCents, 10)
	b = append(b, `,"amount_spent_cents_in_customer_currency":`...)
	b = strconv.AppendInt(b, a.AmountSpentCentsCurrency, 10)
	b = append(b, `,"purchases_made":`...)
	b = strconv.AppendInt(b, a.PurchasesMade, 10)
	b = append(b, `,"referrals_completed":`...)
	b = strconv.AppendInt(b, a.ReferralsCompleted, 10)
	b = append(b, `,"campaigns_completed":`...)
	b = fakekit.AppendJSONStrings(b, a.CampaignsCompleted)
	return append(b, '}')
}

func (r *vipRequirements) appendJSON(b []byte) []byte {
	b = append(b, `{"points_needed":`...)
	b = strconv.AppendInt(b, r.PointsNeeded, 10)
	b = append(b, `,"amount_cents_needed":`...)
	b = strconv.AppendInt(b, r.AmountCentsNeeded, 10)
	b = append(b, `,"amount_cents_needed_in_customer_currency":`...)
	b = strconv.AppendInt(b, r.AmountCentsNeededInCur, 10)
	b = append(b, `,"purchases_needed":`...)
	b = strconv.AppendInt(b, r.PurchasesNeeded, 10)
	b = append(b, `,"referrals_needed":`...)
	b = strconv.AppendInt(b, r.ReferralsNeeded, 10)
	b = append(b, `,"campaigns_needed":`...)
	b = fakekit.AppendJSONStrings(b, r.CampaignsNeeded)
	return append(b, '}')
}

// writeCustomer answers 200 with j, as writeJSON(w, &j) would.
func writeCustomer(w http.ResponseWriter, j *customerJSON) {
	b := fakekit.JSONBuffer()
	*b = j.appendJSON(*b)
	fakekit.WriteJSONBuffer(w, http.StatusOK, b)
}
