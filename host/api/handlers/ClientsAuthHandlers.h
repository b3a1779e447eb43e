#pragma once
// /api/v1/clients-auth: list, get, add and delete client credentials
// (rport-behaviour.md §3.6), Administrators only. Differences from the
// original, all deliberate: refused writes answer 403 as documented (not 405),
// every error carries a code, hashed secrets are never returned, and new ids
// are bounded in length and characters (see newClientAuthIdProblem).
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/ClientAuthStore.h"
#include "api/Router.h"
#include "clients/ClientRegistry.h"

namespace rportd::api {

struct ClientsAuthOptions {
    bool authWrite = true;           // [server] auth_write
    bool storeHashed = false;        // [server] auth_store_hashed
    size_t maxRequestBytes = 10240;  // [api] max_request_bytes
    // bcrypt of a new secret, or nullopt when hashing failed.
    std::function<std::optional<std::string>(std::string_view)> hashPassword;
};

// The longest id the API creates, in characters: the id column of the
// original's table is varchar(100). Any such id, percent-encoded, fits in a
// request line, so every id that can be created can be read and deleted.
inline constexpr size_t kMaxClientAuthIdCharacters = 100;

// Why id cannot be created through the API (the detail of the 400 "Invalid
// or missing ID."), or "" when it can: at least 3 bytes (the original's
// rule), UTF-8, no control characters, at most kMaxClientAuthIdCharacters.
std::string newClientAuthIdProblem(std::string_view id);

// The JSON object of one credential: {"id","password","password_hashed"};
// a hashed secret shows as "password":null.
std::string renderClientAuth(const rport::sdk::AuthRecord& record);

void addClientsAuthRoutes(Router& router, ClientAuthStore& store, clients::ClientRegistry& clients,
                          ClientsAuthOptions options);

}  // namespace rportd::api
