// DELETE /clients-auth/{id} with clients bound to the credential. There is
// no client listener yet, so the test connects clients through the runtime's
// real registry the way the listener will; everything else (plugin, API,
// HTTP, clients.db) is the real thing.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>

#include "HttpCall.h"
#include "TempDir.h"
#include "TestConfigs.h"
#include "app/ServerRuntime.h"
#include "clients/ConnectionRequest.h"
#include "config/Config.h"

using namespace rport::test;

class BoundClientsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BoundClientsTest);
    CPPUNIT_TEST(boundCredentialsNeedForce);
    CPPUNIT_TEST(statusCountsClients);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;
    std::unique_ptr<rportd::app::ServerRuntime> runtime;

    // Connects a client as the listener would; returns its connection.
    uint64_t connect(const std::string& id, const std::string& clientAuthId) {
        rportd::clients::ConnectionRequest request;
        request.id = id;
        request.version = "0.9.13";
        auto result = runtime->clientRegistry().connect(request, clientAuthId, "127.0.0.1", {});
        CPPUNIT_ASSERT_MESSAGE(result.refusal, result.accepted);
        return result.connection;
    }

public:
    void setUp() override {
        std::ofstream(dir.file("clients.json"))
            << "{\"shared\":\"pw-shared\",\"lonely\":\"pw-lonely\"}";
        std::vector<std::string> warnings;
        auto cfg =
            rportd::config::loadConfigText("[server]\naddress = \"127.0.0.1:0\"\nauth_file = \"" + dir.file("clients.json") +
                                               "\"\ndata_dir = \"" + dir.file("data") +
                                               "\"\n[api]\naddress = \"127.0.0.1:0\"\nauth = "
                                               "\"admin:foobaz\"\n[plugins]\ndir = \"" +
                                               builtPluginDir() + "\"\n",
                                           "bound.conf", warnings);
        runtime = std::make_unique<rportd::app::ServerRuntime>(std::move(cfg));
        runtime->prepare();
        runtime->start();
    }
    void tearDown() override { runtime.reset(); }

    void boundCredentialsNeedForce() {
        std::vector<std::string> closed;
        runtime->clientRegistry().setCloser(
            [&closed](const std::string& id, uint64_t) { closed.push_back(id); });
        connect("client-a", "shared");
        runtime->clientRegistry().disconnect("client-b", connect("client-b", "shared"));
        uint16_t port = runtime->apiPort();
        HttpReply r = httpCall(port, "DELETE", "/api/v1/clients-auth/shared", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(409, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_CLIENT_AUTH_HAS_CLIENT"),
                             errorField(r.body, "code"));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "Client Auth expected to have no active or disconnected bound client(s), got 2."),
            errorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(
            200, httpCall(port, "GET", "/api/v1/clients-auth/shared", "admin", "foobaz").status);

        CPPUNIT_ASSERT_EQUAL(
            204, httpCall(port, "DELETE", "/api/v1/clients-auth/lonely", "admin", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(
            409,
            httpCall(port, "DELETE", "/api/v1/clients-auth/shared?force=false", "admin", "foobaz")
                .status);
        CPPUNIT_ASSERT_EQUAL(204, httpCall(port, "DELETE", "/api/v1/clients-auth/shared?force=true",
                                           "admin", "foobaz")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(size_t(0), runtime->clientRegistry().countBoundTo("shared"));
        // The connected one is handed to the listener to be closed.
        CPPUNIT_ASSERT(closed == std::vector<std::string>{"client-a"});
        CPPUNIT_ASSERT_EQUAL(
            404, httpCall(port, "GET", "/api/v1/clients/client-b", "admin", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(
            404, httpCall(port, "GET", "/api/v1/clients-auth/shared", "admin", "foobaz").status);
    }

    void statusCountsClients() {
        connect("c1", "shared");
        runtime->clientRegistry().disconnect("c2", connect("c2", "shared"));
        runtime->clientRegistry().disconnect("c3", connect("c3", "lonely"));
        HttpReply r = httpCall(runtime->apiPort(), "GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_MESSAGE(
            r.body,
            r.body.find("\"clients_connected\":1,\"clients_disconnected\":2") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BoundClientsTest);
