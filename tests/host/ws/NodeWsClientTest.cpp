// WebSocketSession against a real client: Node's ws package
// (tests/peers/node/ws_echo_client.js) through an HttpServer on 127.0.0.1.
// It offers rport-v1 like an rport client, sends binary messages from 1 B to
// 1 MB and checks their echo byte for byte, pings, closes; and, separately,
// sends a message beyond the bound and must see 1009. Skipped when node or
// the npm packages are not installed (scripts/install-deps.sh installs them).
#include <cppunit/extensions/HelperMacros.h>

#include "NodePeers.h"
#include "Skip.h"
#include "Subprocess.h"
#include "TempDir.h"
#include "WsTestSupport.h"

using namespace rportd::ws::test;
using namespace rport::test;

namespace {

ProcessResult runClient(uint16_t port, const std::vector<std::string>& args) {
    TempDir scratch;
    std::vector<std::string> argv{"node", nodePeersDir() + "/ws_echo_client.js",
                                  "ws://127.0.0.1:" + std::to_string(port) + "/ws"};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProcess(argv, scratch.path(), {}, 60000);
}

template <typename F>
bool eventually(F condition, int timeoutMs = 5000) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

}  // namespace

class NodeWsClientTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(NodeWsClientTest);
    CPPUNIT_TEST(echoesAByteStream);
    CPPUNIT_TEST(oversizeMessageIsClosedWith1009);
    CPPUNIT_TEST_SUITE_END();

public:
    void echoesAByteStream() {
        if (!nodePeersInstalled({"ws"})) return skipTest(nodePeersMissingReason({"ws"}));
        WsServer server(1 << 20);
        ProcessResult result = runClient(server.port, {"echo"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tail(result.output), 0, result.exitCode);
        CPPUNIT_ASSERT_MESSAGE(result.output, result.output.find("\nOK") != std::string::npos);
        CPPUNIT_ASSERT(eventually([&] { return server.log->count("end") == 1; }));
        CPPUNIT_ASSERT(server.errors().empty());
    }

    void oversizeMessageIsClosedWith1009() {
        if (!nodePeersInstalled({"ws"})) return skipTest(nodePeersMissingReason({"ws"}));
        WsServer server(1 << 20);
        ProcessResult result = runClient(server.port, {"oversize", std::to_string((1 << 20) + 1)});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tail(result.output), 0, result.exitCode);
        CPPUNIT_ASSERT_MESSAGE(result.output,
                               result.output.find("closed with 1009") != std::string::npos);
        CPPUNIT_ASSERT(eventually([&] { return server.log->count("end") == 1; }));
        CPPUNIT_ASSERT_EQUAL(size_t(0), server.log->received());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NodeWsClientTest);
