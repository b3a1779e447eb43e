#pragma once
// The real protocol peers of the tests are Node.js programs in
// tests/peers/node, on npm packages (ws, ssh2) that scripts/install-deps.sh
// installs from the lock file. A test that drives one asks first:
//
//   if (!nodePeersInstalled()) return skipTest(nodePeersMissingReason());
//
// and then runs `node <nodePeersDir()>/script.js ...` with runProcess or
// spawnProcess (Subprocess.h).
#include <string>
#include <vector>

namespace rport::test {

// tests/peers/node under the source tree (RPORT_SOURCE_DIR).
std::string nodePeersDir();

// True when `node` is on PATH and every package named here (default: the
// ones package.json depends on) is in node_modules.
bool nodePeersInstalled(const std::vector<std::string>& packages = {"ws", "ssh2"});

// Why nodePeersInstalled() said no, with the command that fixes it.
std::string nodePeersMissingReason(const std::vector<std::string>& packages = {"ws", "ssh2"});

}  // namespace rport::test
