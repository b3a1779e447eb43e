#pragma once
// The individual steps of validate(), in the order the original ran them
// (rport-behaviour.md §1.1). Each throws ConfigError on failure.
#include <string>
#include <vector>

#include "config/Config.h"

namespace rportd::config {

void checkServerUrls(Config& config);                     // step 2
void checkPortRanges(Config& config);                     // step 3
void checkTunnelProxy(Config& config);                     // step 4
void checkClientTls(Config& config);  // ours: [server] cert_file/key_file, TLS for clients
void checkDataDir(const Config& config);                  // step 6
void checkKeepDisconnectedClients(const Config& config);  // step 7
void checkClientAuth(Config& config);                     // step 8
void checkApi(Config& config);                            // step 9, messages prefixed "API: "
void checkDatabase(const Config& config);                 // step 10
void checkMisc(Config& config, std::vector<std::string>& warnings);  // step 11
// Ours, last: [acme], a reachable challenge and the ACME state directory
// while ACME provides a certificate; a warning for an unused [acme].
void checkAcme(const Config& config, std::vector<std::string>& warnings);

}  // namespace rportd::config
