#pragma once
// /api/v1/clients: the clients the server knows (rport-behaviour.md §3.7).
//   GET    /api/v1/clients        filter, sort (one column), page, fields
//   GET    /api/v1/clients/{id}   every field unless fields[clients] says
//   DELETE /api/v1/clients/{id}   only a disconnected client
// Administrators see every client; other users those whose
// allowed_user_groups name one of their groups (client groups do not exist
// in this build). Errors carry codes where the original sent none.
#include <optional>
#include <set>
#include <string>

#include "api/Router.h"
#include "clients/ClientRegistry.h"

namespace rportd::api {

inline constexpr const char* kCodeClientNotFound = "ERR_CODE_CLIENT_NOT_FOUND";
inline constexpr const char* kCodeClientConnected = "ERR_CODE_CLIENT_CONNECTED";

// One client as the API shows it, keys in the original's order; fields:
// the ones to include (names as fields[clients] spells them), nullopt for
// all.
std::string renderClient(const clients::ClientView& client,
                         const std::optional<std::set<std::string>>& fields);

void addClientsRoutes(Router& router, clients::ClientRegistry& registry);

}  // namespace rportd::api
