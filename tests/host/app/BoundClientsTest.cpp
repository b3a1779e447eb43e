// DELETE /clients-auth/{id} with clients bound to the credential. Clients
// cannot connect yet, so the test puts records into the runtime's real
// registry directly; everything else (plugin, API, HTTP) is the real thing.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>

#include "HttpCall.h"
#include "TempDir.h"
#include "TestConfigs.h"
#include "app/ServerRuntime.h"
#include "config/Config.h"

using namespace rport::test;

class BoundClientsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BoundClientsTest);
    CPPUNIT_TEST(boundCredentialsNeedForce);
    CPPUNIT_TEST(statusCountsClients);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;
    std::unique_ptr<rportd::app::ServerRuntime> runtime;

public:
    void setUp() override {
        std::ofstream(dir.file("clients.json")) << "{\"shared\":\"pw-shared\",\"lonely\":\"pw-lonely\"}";
        std::vector<std::string> warnings;
        auto cfg = rportd::config::loadConfigText(
            "[server]\nauth_file = \"" + dir.file("clients.json") + "\"\ndata_dir = \"" + dir.file("data") +
                "\"\n[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\n[plugins]\ndir = \"" +
                builtPluginDir() + "\"\n",
            "bound.conf", warnings);
        runtime = std::make_unique<rportd::app::ServerRuntime>(std::move(cfg));
        runtime->prepare();
        runtime->start();
    }
    void tearDown() override { runtime.reset(); }

    void boundCredentialsNeedForce() {
        runtime->clientRegistry().add({"client-a", "shared", true});
        runtime->clientRegistry().add({"client-b", "shared", false});
        uint16_t port = runtime->apiPort();
        HttpReply r = httpCall(port, "DELETE", "/api/v1/clients-auth/shared", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(409, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_CLIENT_AUTH_HAS_CLIENT"), errorField(r.body, "code"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("Client Auth expected to have no active or disconnected bound client(s), got 2."),
            errorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/api/v1/clients-auth/shared", "admin", "foobaz").status);

        CPPUNIT_ASSERT_EQUAL(204, httpCall(port, "DELETE", "/api/v1/clients-auth/lonely", "admin", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(409, httpCall(port, "DELETE", "/api/v1/clients-auth/shared?force=false", "admin", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(204, httpCall(port, "DELETE", "/api/v1/clients-auth/shared?force=true", "admin", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(size_t(0), runtime->clientRegistry().countBoundTo("shared"));
        CPPUNIT_ASSERT_EQUAL(404, httpCall(port, "GET", "/api/v1/clients-auth/shared", "admin", "foobaz").status);
    }

    void statusCountsClients() {
        runtime->clientRegistry().add({"c1", "shared", true});
        runtime->clientRegistry().add({"c2", "shared", false});
        runtime->clientRegistry().add({"c3", "lonely", false});
        HttpReply r = httpCall(runtime->apiPort(), "GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("\"clients_connected\":1,\"clients_disconnected\":2") !=
                                           std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BoundClientsTest);
