#pragma once
// One rport client as the server remembers it: what it said about itself
// when it connected, how it connected, and whether it is connected now.
// Records are immutable once published by the registry (shared between the
// registry and API readers); a change makes a new record.
#include <cstdint>
#include <optional>
#include <string>

#include "clients/ConnectionRequest.h"

namespace rportd::clients {

struct Client {
    std::string id;
    std::string clientAuthId;
    std::string sessionId;  // memory only, as in the original: a restart ends every session
    std::string address;    // the peer IP of the connection, without port

    std::string name;
    std::string os;
    std::string osArch;
    std::string osFamily;
    std::string osKernel;
    std::string osFullName;
    std::string osVersion;
    std::string osVirtualizationSystem;
    std::string osVirtualizationRole;
    std::string cpuFamily;
    std::string cpuModel;
    std::string cpuModelName;
    std::string cpuVendor;
    int64_t numCpus = 0;
    uint64_t memoryTotal = 0;
    std::string timezone;
    std::string hostname;
    std::string version;
    StringList ipv4;
    StringList ipv6;
    StringList tags;
    Labels labels;
    StringList allowedUserGroups;

    // JSON text kept as received or as read from clients.db (see
    // util/JsonText.h for why): tunnels the original stored, the last
    // "updates_status" and "ip_addresses" reports, the client's configuration.
    std::string tunnelsJson = "[]";
    std::string updatesStatusJson = "null";
    std::string ipAddressesJson = "null";
    std::string clientConfigurationJson = "null";

    // Unix nanoseconds; nullopt while connected.
    std::optional<int64_t> disconnectedAt;
    // Which connection of the listener holds this client (0: none). A
    // disconnect of an older connection must not end a resumed session.
    uint64_t connection = 0;

    bool connected() const { return !disconnectedAt; }
    // A disconnected client kept longer than `keep` (nanoseconds) is
    // obsolete: hidden everywhere and purged. No keep: never obsolete.
    bool obsolete(const std::optional<int64_t>& keepNanos, int64_t nowNanos) const {
        return keepNanos && disconnectedAt && *disconnectedAt + *keepNanos < nowNanos;
    }
};

// The client's own report replaces what was known (as the original does on
// every connect); the server's facts are set by the caller.
void applyRequest(Client& client, const ConnectionRequest& request);

}  // namespace rportd::clients
