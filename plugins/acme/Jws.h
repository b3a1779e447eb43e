#pragma once
// JSON Web Signatures as RFC 8555 §6.2 wants them: flattened JSON
// serialization, ES256 with the account key, a protected header carrying
// the nonce and the URL, and either the key itself ("jwk", before the
// account exists: newAccount) or the account URL ("kid", afterwards).
#include <string>

#include "AccountKey.h"

namespace rport::plugins::acme {

// The body of a signed POST. kid empty: the header carries the JWK.
// payload empty: POST-as-GET (RFC 8555 §6.3), an empty payload string.
std::string signedRequest(const AccountKey& key, const std::string& kid, const std::string& nonce,
                          const std::string& url, const std::string& payload);

// The externalAccountBinding member of a newAccount payload (RFC 8555
// §7.3.4): an HS256 JWS over the account key's JWK, with the CA's key id,
// signed with the CA's MAC key, for the newAccount URL.
std::string externalAccountBinding(const AccountKey& key, const std::string& eabKid,
                                   const std::string& macKey, const std::string& newAccountUrl);

// HMAC-SHA256(key, data), 32 raw bytes.
std::string hmacSha256(const std::string& key, const std::string& data);

}  // namespace rport::plugins::acme
