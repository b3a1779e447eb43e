#include "NodePeers.h"

#include <unistd.h>

#include "Subprocess.h"
#include "TempDir.h"

namespace rport::test {

std::string nodePeersDir() { return sourceDir() + "/tests/peers/node"; }

namespace {

// The first package of `packages` that node_modules lacks; empty if none.
std::string firstMissingPackage(const std::vector<std::string>& packages) {
    for (const std::string& name : packages) {
        const std::string manifest = nodePeersDir() + "/node_modules/" + name + "/package.json";
        if (::access(manifest.c_str(), R_OK) != 0) return name;
    }
    return "";
}

}  // namespace

bool nodePeersInstalled(const std::vector<std::string>& packages) {
    return toolInstalled("node") && firstMissingPackage(packages).empty();
}

std::string nodePeersMissingReason(const std::vector<std::string>& packages) {
    if (!toolInstalled("node")) return "node is not installed (bash scripts/install-deps.sh)";
    const std::string missing = firstMissingPackage(packages);
    if (!missing.empty())
        return "the npm package " + missing + " is not in " + nodePeersDir() +
               "/node_modules (bash scripts/install-deps.sh)";
    return "";
}

}  // namespace rport::test
