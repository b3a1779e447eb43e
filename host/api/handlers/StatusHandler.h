#pragma once
// GET /api/v1/status: what the server is and how it is set up, for any
// authenticated user. Keys come out sorted, as the original's map does.
#include <functional>
#include <string>
#include <vector>

#include "api/Router.h"

namespace rportd::api {

// The settled part of the status, filled once by the app.
// One served certificate as /status shows it (times are RFC 3339, UTC).
struct CertificateStatusInfo {
    std::string source;    // "api"
    std::string provider;  // "files", "certbot", ...
    std::string subject;
    std::vector<std::string> sans;
    std::string issuer;
    std::string serial;
    std::string notAfter;
    std::string lastReload;
    std::string lastError;  // "" when none
    std::string lastErrorAt;
    // The name this source is for (base_url's host, tunnel_host), and what
    // a provider that orders its own certificates says about it.
    std::string name;
    std::string state;  // "valid", "issuing", "renewing", "retrying", "failed"; "" if not reported
    std::string detail;
    std::string nextRenewal;  // the planned renewal or next retry; "" if none
};

struct StatusInfo {
    std::string version;
    std::string fingerprint;  // the SSH host key's, as rport clients pin it
    std::vector<std::string> connectUrl;
    std::string pairingUrl;
    std::string clientsAuthSource;  // "Static Credentials", "File", "DB" or a plugin name
    std::string clientsAuthMode;    // "Read Write" or "Read Only"
    std::string usersAuthSource;
    std::string tunnelHost;
    bool tunnelProxyEnabled = false;
    std::vector<std::string> usedPorts;
    std::vector<std::string> excludedPorts;
    int passwordMinLength = 14;
    std::vector<CertificateStatusInfo> certificates;  // ours: what the HTTPS listener serves
};

struct ClientCounts {
    uint64_t connected = 0;
    uint64_t disconnected = 0;
};

// The status body for the given state (exposed for tests).
std::string renderStatus(const StatusInfo& info, const ClientCounts& counts);

void addStatusRoute(Router& router, std::function<StatusInfo()> info, std::function<ClientCounts()> counts);

}  // namespace rportd::api
