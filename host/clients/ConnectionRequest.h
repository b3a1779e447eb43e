#pragma once
// What an rport client tells about itself in its first SSH request,
// "new_connection": the JSON encoding of the original's ConnectionRequest,
// keyed by the Go field names ("ID", "SessionID", "NumCPUs", ...).
//
// Read the way Go's encoding/json fills that struct (clients/GoJson.h),
// because every client in the field was written against that: unknown keys
// are ignored, a later duplicate wins, a value of the wrong type rejects the
// whole request. Lists and labels keep the difference between null and
// empty, since the API shows them as null or [] / {}.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "clients/GoJson.h"

namespace rportd::clients {

struct ConnectionRequest {
    std::string id;  // empty: the server picks one
    std::string name;
    std::string sessionId;  // one per client process; equal on a resumed session
    std::string os;
    std::string osFullName;
    std::string osVersion;
    std::string osVirtualizationSystem;
    std::string osVirtualizationRole;
    std::string osArch;
    std::string osFamily;
    std::string osKernel;
    std::string version;
    std::string hostname;
    std::string cpuFamily;
    std::string cpuModel;
    std::string cpuModelName;
    std::string cpuVendor;
    int64_t numCpus = 0;
    uint64_t memoryTotal = 0;
    std::string timezone;
    StringList ipv4;
    StringList ipv6;
    StringList tags;
    Labels labels;
    // Kept as compact JSON text, as sent: the tunnels the client asks for
    // (an array of remote objects) and its whole configuration (an object,
    // shown by the API as it came).
    std::string remotesJson = "null";
    std::string clientConfigurationJson = "null";
};

// A request the server refuses to read. what() is the text the original
// replies with (the client logs it); detail() says what was wrong, for our
// log.
class ConnectionRequestError : public std::runtime_error {
public:
    explicit ConnectionRequestError(std::string detail)
        : std::runtime_error("invalid connection request: Invalid JSON config"),
          _detail(std::move(detail)) {}
    const std::string& detail() const noexcept { return _detail; }

private:
    std::string _detail;
};

ConnectionRequest parseConnectionRequest(std::string_view json);

}  // namespace rportd::clients
