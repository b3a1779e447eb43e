#include "clients/Client.h"

namespace rportd::clients {

void applyRequest(Client& c, const ConnectionRequest& r) {
    c.name = r.name;
    c.sessionId = r.sessionId;
    c.os = r.os;
    c.osArch = r.osArch;
    c.osFamily = r.osFamily;
    c.osKernel = r.osKernel;
    c.osFullName = r.osFullName;
    c.osVersion = r.osVersion;
    c.osVirtualizationSystem = r.osVirtualizationSystem;
    c.osVirtualizationRole = r.osVirtualizationRole;
    c.hostname = r.hostname;
    c.cpuFamily = r.cpuFamily;
    c.cpuModel = r.cpuModel;
    c.cpuModelName = r.cpuModelName;
    c.cpuVendor = r.cpuVendor;
    c.numCpus = r.numCpus;
    c.memoryTotal = r.memoryTotal;
    c.timezone = r.timezone;
    c.ipv4 = r.ipv4;
    c.ipv6 = r.ipv6;
    c.tags = r.tags;
    c.labels = r.labels;
    c.version = r.version;
    c.clientConfigurationJson = r.clientConfigurationJson;
    // Tunnels start anew with each connection (none exist in this build yet).
    c.tunnelsJson = "[]";
}

}  // namespace rportd::clients
