// check_clients_connection_interval / _timeout: a client whose link dies
// without a FIN (it stops reading, answers nothing) is found by the server's
// pings and recorded as disconnected. The config raises the interval to at
// least 2 minutes, so the listener runs in process with short timings; the
// client is Node's ssh2 (tests/peers/node/rport_ssh_peer.js go-silent).
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

#include "NodePeers.h"
#include "Skip.h"
#include "Subprocess.h"
#include "TempDir.h"
#include "client_listener/ClientListener.h"
#include "clients/ClientRegistry.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using namespace rport::test;

class PingTimeoutTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PingTimeoutTest);
    CPPUNIT_TEST(aClientThatStopsAnsweringIsDisconnected);
    CPPUNIT_TEST_SUITE_END();

public:
    void aClientThatStopsAnsweringIsDisconnected() {
        if (!nodePeersInstalled()) return skipTest(nodePeersMissingReason());
        TempDir dir;
        rportd::plugin_host::HostServices services(rportd::plugin_host::HostOptions{dir.path()});
        rportd::plugin_host::PluginRegistry plugins(services);
        plugins.loadDirectory(buildDir() + "/lib/rportd/plugins");
        auto backend = std::make_shared<rportd::plugin_host::AuthBackend>(
            plugins, RPORT_KIND_CLIENT_AUTH, "static",
            rportd::plugin_host::Settings{{"auth", "clientAuth1:1234"}});
        rportd::clients::ClientRegistry registry;
        auto hostKey = rportd::ssh::HostKey::fromSeed("ping-timeout-test");

        rportd::client_listener::ClientListenerSettings settings;
        settings.timings.pingIntervalMillis = 500;
        settings.timings.pingTimeoutMillis = 1000;
        settings.serverVersion = "test";
        settings.currentAuth = [backend] { return backend; };
        rportd::client_listener::ClientListener listener(hostKey, registry, settings);
        uint16_t port = listener.listen("127.0.0.1:0");
        listener.start();

        std::string log = dir.file("peer.log");
        pid_t peer = spawnProcess({"node", nodePeersDir() + "/rport_ssh_peer.js",
                                   std::to_string(port), "go-silent", "silent-one", "20000"},
                                  log, {{"PEER_TIMEOUT_MS", "30000"}});
        auto connectedBy = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < connectedBy &&
               readFile(log).find("SILENT") == std::string::npos)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CPPUNIT_ASSERT_MESSAGE(readFile(log), readFile(log).find("SILENT") != std::string::npos);
        auto silentSince = std::chrono::steady_clock::now();

        // Connected now; within interval + timeout (and some slack) it must go.
        bool disconnected = false;
        while (std::chrono::steady_clock::now() - silentSince < std::chrono::seconds(10)) {
            auto view = registry.find("silent-one");
            CPPUNIT_ASSERT(view.has_value());
            if (!view->record->connected()) {
                disconnected = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - silentSince).count();
        CPPUNIT_ASSERT_MESSAGE("still connected after " + std::to_string(seconds) + " s",
                               disconnected);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(seconds) + " s", seconds >= 0.9);
        CPPUNIT_ASSERT_EQUAL(size_t(0), listener.liveClients().size());
        terminateProcess(peer, 2000);
        listener.stop();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PingTimeoutTest);
