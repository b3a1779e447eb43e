// A second SSH implementation against the real rportd binary: Node's ssh2
// client over a ws WebSocket (tests/peers/node/rport_ssh_peer.js), where
// OriginalClientTest uses the Go client the server was written for. Two
// independent clients agreeing with the server is what makes the kex,
// cipher, re-key and strict-kex paths believable. Then bad input from raw
// sockets: each one refused or timed out, logged once, and the server still
// serving a good client afterwards. Skipped without node and the npm peers.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

#include "HttpCall.h"
#include "NodePeers.h"
#include "RportdProcess.h"
#include "Skip.h"
#include "Subprocess.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

size_t countOf(const std::string& text, const std::string& needle) {
    size_t count = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++count;
    return count;
}

std::string peerScript() { return nodePeersDir() + "/rport_ssh_peer.js"; }

// One rportd with the client listener and the API on loopback ports.
struct Server {
    TempDir dir;
    std::unique_ptr<RportdProcess> process;
    uint16_t clientPort = 0;
    uint16_t apiPort = 0;

    explicit Server(const std::string& extraServer = "") {
        std::string config =
            dir.write("rportd.conf",
                      "[server]\naddress = \"127.0.0.1:0\"\nauth = "
                      "\"clientAuth1:1234\"\nmax_concurrent_ssh_handshakes = 1\n"
                      "data_dir = \"" +
                          dir.file("data") + "\"\n" + extraServer +
                          "[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\n"
                          "[logging]\nlog_level = \"debug\"\n");
        process =
            std::make_unique<RportdProcess>(std::vector<std::string>{"-c", config}, dir.path());
        apiPort = process->waitForApiPort();
        clientPort = process->waitForClientPort();
    }

    ProcessResult peer(const std::vector<std::string>& args, int timeoutMs = 120000,
                       const EnvVars& env = {}) {
        std::vector<std::string> argv{"node", peerScript(), std::to_string(clientPort)};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv, dir.path(), env, timeoutMs);
    }

    std::string clients() {
        return httpCall(apiPort, "GET", "/api/v1/clients", "admin", "foobaz").body;
    }

    std::string log() const { return process->output(); }

    // Waits for a line that a connection's end produces once the server got
    // round to it (log lines come from the loop after the peer has gone).
    size_t waitForCount(const std::string& needle, size_t count, int timeoutMs = 10000) const {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        size_t seen = 0;
        while ((seen = countOf(log(), needle)) < count &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return seen;
    }

    // A good client gets in and shows up in the API.
    void assertServesGoodClient(const std::string& id, const EnvVars& env = {}) {
        ProcessResult run = peer({"register", id}, 120000, env);
        CPPUNIT_ASSERT_MESSAGE(run.output + tail(log()), run.exitCode == 0);
        CPPUNIT_ASSERT_MESSAGE(run.output,
                               run.output.find("REGISTERED " + id) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(clients(),
                               clients().find("\"id\":\"" + id + "\"") != std::string::npos);
    }
};

}  // namespace

class NodeSshPeerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(NodeSshPeerTest);
    CPPUNIT_TEST(everyKexAndCipherRegisters);
    CPPUNIT_TEST(rekeysManyTimesWhileRequestsFlow);
    CPPUNIT_TEST(wrongPasswordIsRefused);
    CPPUNIT_TEST(brokenWebSocketFramesAreRefused);
    CPPUNIT_TEST(badSshPacketsAreRefused);
    CPPUNIT_TEST(badConnectionRequestsAreRefused);
    CPPUNIT_TEST(silentPeersTimeOutWhileOthersAreServed);
    CPPUNIT_TEST_SUITE_END();

    bool ready() {
        if (nodePeersInstalled()) return true;
        skipTest(nodePeersMissingReason());
        return false;
    }

public:
    // 3 key exchanges x 3 ciphers, each asked for alone: every pair completes
    // the handshake with strict kex, logs in, registers (new_connection
    // answered "[]", put_capabilities follows) and answers a ping; all nine
    // then show up in the API.
    void everyKexAndCipherRegisters() {
        if (!ready()) return;
        Server server;
        ProcessResult run = server.peer({"matrix"});
        CPPUNIT_ASSERT_MESSAGE(run.output + tail(server.log()), run.exitCode == 0);
        CPPUNIT_ASSERT_EQUAL(size_t(9), countOf(run.output, "COMBINATION "));
        CPPUNIT_ASSERT_EQUAL(size_t(9), countOf(run.output, "strict=true"));
        CPPUNIT_ASSERT_EQUAL(size_t(9), countOf(run.output, "hostkey=ecdsa-sha2-nistp256"));
        for (const char* kex :
             {"curve25519-sha256 ", "curve25519-sha256@libssh.org ", "ecdh-sha2-nistp256 "})
            for (const char* cipher : {"aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
                                       "chacha20-poly1305@openssh.com"}) {
                std::string line = std::string("COMBINATION ") + kex + cipher + " kex=" +
                                   std::string(kex).substr(0, std::string(kex).size() - 1) +
                                   " cipher=" + cipher + "/" + cipher;
                CPPUNIT_ASSERT_MESSAGE(line + "\n" + run.output,
                                       run.output.find(line) != std::string::npos);
            }
        std::string list = server.clients();
        CPPUNIT_ASSERT_MESSAGE(list, list.find("\"count\":9") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(size_t(9), server.waitForCount("\" connected: client auth id", 9));
        CPPUNIT_ASSERT_EQUAL(size_t(0), countOf(server.log(), "SSH error"));
    }

    // ssh2 re-keys 100 times in a row while a stream of pings runs; every
    // ping is answered and the connection is still there at the end.
    void rekeysManyTimesWhileRequestsFlow() {
        if (!ready()) return;
        Server server;
        ProcessResult run = server.peer({"rekey", "rekeyer", "100"});
        CPPUNIT_ASSERT_MESSAGE(run.output + tail(server.log()), run.exitCode == 0);
        CPPUNIT_ASSERT_MESSAGE(run.output,
                               run.output.find("REKEYED 100 times") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(size_t(0), countOf(server.log(), "SSH error"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.waitForCount("client \"rekeyer\" disconnected", 1));
    }

    void wrongPasswordIsRefused() {
        if (!ready()) return;
        Server server;
        ProcessResult run = server.peer({"wrong-password"});
        CPPUNIT_ASSERT_MESSAGE(run.output, run.exitCode == 0);
        CPPUNIT_ASSERT(run.output.find("REFUSED client-authentication") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             countOf(server.log(),
                                     "security: failed login from 127.0.0.1 to the client "
                                     "listener as \"clientAuth1\""));
        CPPUNIT_ASSERT_MESSAGE(server.clients(),
                               server.clients().find("\"count\":0") != std::string::npos);
        // The login wait after a failure (client_login_wait, 2 s) passes first.
        std::this_thread::sleep_for(std::chrono::milliseconds(2100));
        server.assertServesGoodClient("after-wrong-password");
    }

    // An unmasked frame, a reserved bit, an unknown opcode: each gets close
    // code 1002 at once and one log line naming the peer.
    void brokenWebSocketFramesAreRefused() {
        if (!ready()) return;
        Server server;
        size_t expected = 0;
        for (const char* kind : {"unmasked", "rsv", "opcode"}) {
            ProcessResult run = server.peer({"bad-frame", kind});
            CPPUNIT_ASSERT_MESSAGE(run.output, run.exitCode == 0);
            CPPUNIT_ASSERT_MESSAGE(run.output,
                                   run.output.find("CLOSED code=1002") != std::string::npos);
            ++expected;
            CPPUNIT_ASSERT_EQUAL(
                expected,
                server.waitForCount("WebSocket protocol error (close code 1002)", expected));
        }
        server.assertServesGoodClient("after-bad-frames");
    }

    // A packet length of 2 GiB is refused as soon as its four bytes are in
    // (a DISCONNECT, then the close); a packet cut short leaves the server
    // waiting only until the handshake deadline (30 s).
    void badSshPacketsAreRefused() {
        if (!ready()) return;
        Server server;
        ProcessResult huge = server.peer({"huge-length"});
        CPPUNIT_ASSERT_MESSAGE(huge.output, huge.exitCode == 0);
        CPPUNIT_ASSERT_MESSAGE(huge.output,
                               huge.output.find("disconnect=plain") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            server.waitForCount("SSH error from client (127.0.0.1): \"packet length 2147483647 "
                                "out of bounds\"",
                                1));

        auto started = std::chrono::steady_clock::now();
        ProcessResult truncated = server.peer({"truncated"});
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        CPPUNIT_ASSERT_MESSAGE(truncated.output, truncated.exitCode == 0);
        CPPUNIT_ASSERT_MESSAGE(
            truncated.output,
            truncated.output.find("server said \"SSH-2.0-rportd\"") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(seconds), seconds > 29 && seconds < 40);
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             server.waitForCount("SSH handshake not finished in time", 1));
        server.assertServesGoodClient("after-bad-packets");
    }

    // max_request_bytes_client is 4096 here: a bigger new_connection and one
    // that is not JSON are both answered with failure and a disconnect.
    void badConnectionRequestsAreRefused() {
        if (!ready()) return;
        Server server("max_request_bytes_client = 4096\n");
        std::string big = server.dir.write(
            "big.json", "{\"ID\":\"big\",\"Name\":\"" + std::string(5000, 'x') + "\"}");
        std::string broken = server.dir.write("broken.json", "{\"ID\": \"broken\", oops");

        ProcessResult run = server.peer({"request", "big", big});
        CPPUNIT_ASSERT_MESSAGE(run.output, run.exitCode == 0);
        CPPUNIT_ASSERT(run.output.find("REPLY success=false") != std::string::npos);
        CPPUNIT_ASSERT(run.output.find("CLOSED by server") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.waitForCount("exceeds max_request_bytes_client", 1));

        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        run = server.peer({"request", "broken", broken});
        CPPUNIT_ASSERT_MESSAGE(run.output, run.exitCode == 0);
        CPPUNIT_ASSERT(run.output.find("REPLY success=false") != std::string::npos);
        CPPUNIT_ASSERT(run.output.find("CLOSED by server") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.waitForCount("malformed JSON", 1));

        std::string list = server.clients();
        CPPUNIT_ASSERT_MESSAGE(list, list.find("\"count\":0") != std::string::npos);
        server.assertServesGoodClient("after-bad-requests");
    }

    // 1,000 WebSockets upgrade and never start SSH. The API keeps answering
    // meanwhile; every one of them is closed at the handshake deadline and
    // logged once; a good client that arrives among them is served once the
    // handshake slots they held are free again.
    void silentPeersTimeOutWhileOthersAreServed() {
        if (!ready()) return;
        Server server;
        const int count = 1000;
        std::string holdLog = server.dir.file("hold.log");
        pid_t holder = spawnProcess({"node", peerScript(), std::to_string(server.clientPort),
                                     "hold", std::to_string(count), "45000"},
                                    holdLog, {{"PEER_TIMEOUT_MS", "90000"}});
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (readFile(holdLog).find("OPEN ") == std::string::npos &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CPPUNIT_ASSERT_MESSAGE(readFile(holdLog),
                               readFile(holdLog).find("OPEN 1000") != std::string::npos);

        HttpReply status = httpCall(server.apiPort, "GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(200, status.status);
        // Silent peers hold no check slot (max_concurrent_ssh_handshakes is 1
        // here): a good client logs in at once, well before their deadline.
        server.assertServesGoodClient("among-silent-peers", {{"PEER_READY_TIMEOUT_MS", "10000"}});

        CPPUNIT_ASSERT_EQUAL(0, waitForExit(holder, 80000));
        std::string held = readFile(holdLog);
        CPPUNIT_ASSERT_MESSAGE(held, held.find("HOLD_CLOSED 1000 of 1000") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(size_t(count),
                             server.waitForCount("SSH handshake not finished in time", count));
        server.assertServesGoodClient("after-silent-peers");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NodeSshPeerTest);
