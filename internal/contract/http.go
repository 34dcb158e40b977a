package contract

// HeaderAuthorization carries the Bearer tokens of Qualifio (OAuth client
// credentials) and Monterosa (access tokens); documented by both.
const HeaderAuthorization = "Authorization"
