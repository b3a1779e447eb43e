// The original Go rport client, unmodified, against our rportd: every way it
// is given credentials, every client-auth backend, the refusals, the client
// showing up in the API, and the host key it pins (from key_seed, and kept
// in data_dir across restarts). Skipped where ../shared/interop is absent.
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <memory>
#include <thread>

#include "../app/ClientsAuthScenario.h"
#include "HttpCall.h"
#include "OriginalRport.h"
#include "RportdProcess.h"
#include "Subprocess.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

// The fingerprint the original derives from key_seed "a" (interop README).
const std::string kSeedAFingerprint = "ab:1d:a0:16:60:29:62:23:ea:39:cc:a3:f9:17:13:39";

std::string serverSection(const std::string& dataDir, const std::string& extra) {
    return "[server]\naddress = \"127.0.0.1:0\"\ndata_dir = \"" + dataDir + "\"\n" + extra;
}

std::string apiSection() {
    return "[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\nuser_login_wait = 0\n"
           "[logging]\nlog_level = \"debug\"\n";
}

Poco::JSON::Object::Ptr clientById(uint16_t apiPort, const std::string& id) {
    HttpReply r = httpCall(apiPort, "GET", "/api/v1/clients/" + id, "admin", "foobaz");
    if (r.status != 200) return nullptr;
    auto root = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    return root->getObject("data");
}

// Waits until the API shows the client connected (the client waits up to
// 10 s before it sends its connection request).
Poco::JSON::Object::Ptr waitUntilConnected(uint16_t apiPort, const std::string& id,
                                           int timeoutMs = 30000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        auto client = clientById(apiPort, id);
        if (client && client->getValue<std::string>("connection_state") == "connected")
            return client;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return nullptr;
}

std::string at(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

enum class AuthBy { Flag, Config, Environment };

OriginalClient::Options clientOptions(uint16_t port, const std::string& id, AuthBy by,
                                      const std::string& auth,
                                      const std::string& fingerprint = "") {
    OriginalClient::Options o;
    o.server = at(port);
    o.id = id;
    o.fingerprint = fingerprint;
    (by == AuthBy::Flag ? o.flagAuth : by == AuthBy::Config ? o.configAuth : o.envAuth) = auth;
    return o;
}

}  // namespace

class OriginalClientTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OriginalClientTest);
    CPPUNIT_TEST(everyCredentialSourceConnects);
    CPPUNIT_TEST(wrongUnknownAndLockedOutAreRefused);
    CPPUNIT_TEST(repeatedFailuresBanTheAddress);
    CPPUNIT_TEST(everyBackendAuthenticates);
    CPPUNIT_TEST(reconnectsAfterRestartWithTheSameFingerprint);
    CPPUNIT_TEST(connectsOverTls);
    CPPUNIT_TEST(aSecondClientWithTheSameIdIsToldWhy);
    CPPUNIT_TEST(aBrokenBackendRefusesAndSaysSo);
    CPPUNIT_TEST_SUITE_END();

public:
    // --auth, [client] auth and RPORT_AUTH, at once, pinning the key_seed
    // fingerprint the original server would have.
    void everyCredentialSourceConnects() {
        if (!originalClientAvailable()) return;
        TempDir dir;
        std::string config = dir.write(
            "rportd.conf",
            serverSection(dir.file("data"), "auth = \"clientAuth1:1234\"\nkey_seed = \"a\"\n") +
                apiSection());
        RportdProcess rportd({"-c", config}, dir.path());
        uint16_t api = rportd.waitForApiPort();
        uint16_t port = rportd.waitForClientPort();
        CPPUNIT_ASSERT_EQUAL(kSeedAFingerprint, rportd.fingerprint());

        OriginalClient byFlag(dir.path(), clientOptions(port, "by-flag", AuthBy::Flag,
                                                        "clientAuth1:1234", kSeedAFingerprint));
        OriginalClient byConfig(dir.path(), clientOptions(port, "by-config", AuthBy::Config,
                                                          "clientAuth1:1234", "ab:1d:a0"));
        OriginalClient byEnv(
            dir.path(), clientOptions(port, "by-env", AuthBy::Environment, "clientAuth1:1234"));
        for (const char* id : {"by-flag", "by-config", "by-env"}) {
            auto client = waitUntilConnected(api, id);
            CPPUNIT_ASSERT_MESSAGE(std::string(id) + "\n" + tail(rportd.output()), client);
            CPPUNIT_ASSERT_EQUAL(std::string("clientAuth1"),
                                 client->getValue<std::string>("client_auth_id"));
            CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"),
                                 client->getValue<std::string>("address"));
            CPPUNIT_ASSERT(!client->getValue<std::string>("hostname").empty());
            CPPUNIT_ASSERT(!client->getValue<std::string>("os_kernel").empty());
            CPPUNIT_ASSERT(client->getValue<std::string>("version").find("0.9.13") == 0);
        }
        CPPUNIT_ASSERT(byFlag.waitForConnected(5000));
        HttpReply list = httpCall(api, "GET", "/api/v1/clients", "admin", "foobaz");
        CPPUNIT_ASSERT(list.body.find("\"count\":3") != std::string::npos);
        HttpReply status = httpCall(api, "GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT(status.body.find("\"clients_connected\":3") != std::string::npos);
        CPPUNIT_ASSERT(status.body.find("\"fingerprint\":\"" + kSeedAFingerprint + "\"") !=
                       std::string::npos);

        // A client gone is recorded as disconnected.
        byEnv.stop();
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        Poco::JSON::Object::Ptr gone;
        while (std::chrono::steady_clock::now() < deadline) {
            gone = clientById(api, "by-env");
            if (gone && gone->getValue<std::string>("connection_state") == "disconnected") break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        CPPUNIT_ASSERT(gone && gone->getValue<std::string>("connection_state") == "disconnected");
        CPPUNIT_ASSERT(!gone->isNull("disconnected_at"));
    }

    void wrongUnknownAndLockedOutAreRefused() {
        if (!originalClientAvailable()) return;
        TempDir dir;
        std::string config = dir.write(
            "rportd.conf", serverSection(dir.file("data"),
                                         "auth = \"clientAuth1:1234\"\nclient_login_wait = 60\n"
                                         "max_failed_login = 100\n") +
                               apiSection());
        RportdProcess rportd({"-c", config}, dir.path());
        uint16_t api = rportd.waitForApiPort();
        uint16_t port = rportd.waitForClientPort();

        OriginalClient wrong(dir.path(),
                             clientOptions(port, "wrong", AuthBy::Flag, "clientAuth1:nope"));
        CPPUNIT_ASSERT_MESSAGE(
            rportd.output(),
            rportd.waitForOutput(
                "security: failed login from 127.0.0.1 to the client listener as \"clientAuth1\""));
        OriginalClient unknown(dir.path(),
                               clientOptions(port, "unknown", AuthBy::Flag, "nobody:1234"));
        CPPUNIT_ASSERT_MESSAGE(
            rportd.output(),
            rportd.waitForOutput(
                "security: failed login from 127.0.0.1 to the client listener as \"nobody\""));
        // The right password, but clientAuth1 failed a moment ago: it waits.
        OriginalClient locked(dir.path(),
                              clientOptions(port, "locked", AuthBy::Flag, "clientAuth1:1234"));
        CPPUNIT_ASSERT_MESSAGE(
            rportd.output(),
            rportd.waitForOutput("Failed login attempt for client auth id \"clientAuth1\", forcing "
                                 "to wait for"));
        std::this_thread::sleep_for(std::chrono::seconds(2));
        for (const char* id : {"wrong", "unknown", "locked"}) CPPUNIT_ASSERT(!clientById(api, id));
        CPPUNIT_ASSERT(wrong.output().find("unable to authenticate") != std::string::npos);
    }

    void repeatedFailuresBanTheAddress() {
        if (!originalClientAvailable()) return;
        TempDir dir;
        std::string config = dir.write(
            "rportd.conf", serverSection(dir.file("data"),
                                         "auth = \"clientAuth1:1234\"\nclient_login_wait = 0\n"
                                         "max_failed_login = 2\nban_time = 60\n") +
                               apiSection());
        RportdProcess rportd({"-c", config}, dir.path());
        uint16_t port = rportd.waitForClientPort();
        CPPUNIT_ASSERT_EQUAL(404, httpCall(port, "GET", "/").status);
        OriginalClient wrong(dir.path(),
                             clientOptions(port, "wrong", AuthBy::Flag, "clientAuth1:nope"));
        CPPUNIT_ASSERT_MESSAGE(rportd.output(),
                               rportd.waitForOutput("security: banned 127.0.0.1 for ", 40000));
        HttpReply banned = httpCall(port, "GET", "/");
        CPPUNIT_ASSERT_EQUAL(423, banned.status);
        CPPUNIT_ASSERT(banned.body.find("Too many bad attempts") != std::string::npos);
    }

    void everyBackendAuthenticates() {
        if (!originalClientAvailable()) return;
        for (const char* name : {"file", "sqlite", "mariadb"}) {
            TempDir dir;
            auto backend = makeScenarioBackend(name, dir);
            std::string config = dir.file("rportd.conf");
            std::string text = backend->config("data_dir = \"" + dir.file("data") + "\"\n");
            dir.write("rportd.conf", text + apiSection());
            backend->prepare(config);
            RportdProcess rportd({"-c", config}, dir.path());
            uint16_t api = rportd.waitForApiPort();
            uint16_t port = rportd.waitForClientPort();
            if (backend->seedsThroughApi()) {
                HttpReply added = httpCall(api, "POST", "/api/v1/clients-auth", "admin", "foobaz",
                                           R"({"id":"clientAuth1","password":"1234"})");
                CPPUNIT_ASSERT_EQUAL_MESSAGE(added.body, 201, added.status);
            }
            OriginalClient client(dir.path(), clientOptions(port, std::string("via-") + name,
                                                            AuthBy::Flag, "clientAuth1:1234"));
            auto shown = waitUntilConnected(api, std::string("via-") + name);
            CPPUNIT_ASSERT_MESSAGE(
                std::string(name) + "\n" + tail(rportd.output()) + tail(client.output()), shown);
        }
    }

    // No key_seed: the key made at the first start is kept in data_dir, so a
    // client that pinned it reconnects after the restart.
    void reconnectsAfterRestartWithTheSameFingerprint() {
        if (!originalClientAvailable()) return;
        TempDir dir;
        uint16_t port = 0;
        std::string fingerprint;
        std::unique_ptr<OriginalClient> client;
        {
            std::string config = dir.write(
                "rportd.conf",
                serverSection(dir.file("data"), "auth = \"clientAuth1:1234\"\n") + apiSection());
            RportdProcess first({"-c", config}, dir.path());
            uint16_t api = first.waitForApiPort();
            port = first.waitForClientPort();
            fingerprint = first.fingerprint();
            client = std::make_unique<OriginalClient>(
                dir.path(),
                clientOptions(port, "sticky", AuthBy::Flag, "clientAuth1:1234", fingerprint));
            CPPUNIT_ASSERT(waitUntilConnected(api, "sticky"));
            CPPUNIT_ASSERT_EQUAL(0, first.stop());
        }
        // Same port, so that the running client finds the server again.
        dir.write("rportd.conf", "[server]\naddress = \"127.0.0.1:" + std::to_string(port) +
                                     "\"\ndata_dir = \"" + dir.file("data") +
                                     "\"\nauth = \"clientAuth1:1234\"\n" + apiSection());
        RportdProcess second({"-c", dir.file("rportd.conf")}, dir.path());
        uint16_t api = second.waitForApiPort();
        CPPUNIT_ASSERT_EQUAL(fingerprint, second.fingerprint());
        auto shown = waitUntilConnected(api, "sticky", 60000);
        CPPUNIT_ASSERT_MESSAGE(tail(second.output()) + tail(client->output()), shown);
        CPPUNIT_ASSERT(client->output().find("invalid fingerprint") == std::string::npos);
    }

    // [server] cert_file/key_file put TLS under the client listener: the
    // client dials wss:// and checks the certificate against its trust store.
    void connectsOverTls() {
        if (!originalClientAvailable()) return;
        TempDir dir;
        const std::string key = dir.file("clients.key"), crt = dir.file("clients.crt");
        shellOutput("openssl ecparam -name prime256v1 -genkey -noout -out " + key);
        shellOutput(
            "openssl req -x509 -key " + key + " -out " + crt +
            " -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1");
        std::string config = dir.write(
            "rportd.conf",
            serverSection(dir.file("data"), "auth = \"clientAuth1:1234\"\ncert_file = \"" + crt +
                                                "\"\nkey_file = \"" + key + "\"\n") +
                apiSection());
        RportdProcess rportd({"-c", config}, dir.path());
        uint16_t api = rportd.waitForApiPort();
        uint16_t port = rportd.waitForClientPort();
        CPPUNIT_ASSERT(rportd.output().find("(HTTPS)") != std::string::npos);

        auto options = clientOptions(port, "over-tls", AuthBy::Flag, "clientAuth1:1234");
        options.server = "wss://localhost:" + std::to_string(port);
        options.environment.emplace_back("SSL_CERT_FILE", crt);
        OriginalClient client(dir.path(), options);
        auto shown = waitUntilConnected(api, "over-tls");
        CPPUNIT_ASSERT_MESSAGE(tail(rportd.output()) + tail(client.output()), shown);
        // An untrusting client is refused by its own TLS check.
        auto untrusting = clientOptions(port, "no-trust", AuthBy::Flag, "clientAuth1:1234");
        untrusting.server = "wss://localhost:" + std::to_string(port);
        OriginalClient refused(dir.path(), untrusting);
        CPPUNIT_ASSERT(refused.waitForOutput("certificate", 15000));
        CPPUNIT_ASSERT(!clientById(api, "no-trust"));
        HttpReply status = httpCall(api, "GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT(status.body.find("\"source\":\"clients\"") != std::string::npos);
    }

    // The refusal's text reaches the client, as the original sends it.
    void aSecondClientWithTheSameIdIsToldWhy() {
        if (!originalClientAvailable()) return;
        TempDir dir;
        std::string config = dir.write(
            "rportd.conf",
            serverSection(dir.file("data"), "auth = \"clientAuth1:1234\"\n") + apiSection());
        RportdProcess rportd({"-c", config}, dir.path());
        uint16_t api = rportd.waitForApiPort();
        uint16_t port = rportd.waitForClientPort();
        OriginalClient first(dir.path(),
                             clientOptions(port, "twin", AuthBy::Flag, "clientAuth1:1234"));
        CPPUNIT_ASSERT(waitUntilConnected(api, "twin"));
        OriginalClient second(dir.path(),
                              clientOptions(port, "twin", AuthBy::Flag, "clientAuth1:1234"));
        CPPUNIT_ASSERT_MESSAGE(tail(second.output()),
                               second.waitForOutput("client is already connected", 30000));
        CPPUNIT_ASSERT(rportd.output().find("refused client auth id \"clientAuth1\"") !=
                       std::string::npos);
    }

    // The credential table disappears under a running server: logins are
    // refused (fail closed), the reason is logged, nothing counts against
    // the client, and the server keeps running.
    void aBrokenBackendRefusesAndSaysSo() {
        if (!originalClientAvailable()) return;
        TempDir dir;
        auto backend = makeScenarioBackend("sqlite", dir);
        std::string config = dir.file("rportd.conf");
        dir.write("rportd.conf",
                  backend->config("data_dir = \"" + dir.file("data") + "\"\n") + apiSection());
        backend->prepare(config);
        RportdProcess rportd({"-c", config}, dir.path());
        uint16_t api = rportd.waitForApiPort();
        uint16_t port = rportd.waitForClientPort();
        HttpReply added = httpCall(api, "POST", "/api/v1/clients-auth", "admin", "foobaz",
                                   R"({"id":"clientAuth1","password":"1234"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(added.body, 201, added.status);
        shellOutput("python3 -c \"import sqlite3; c = sqlite3.connect('" + dir.file("rport.db") +
                    "'); c.execute('drop table clients_auth'); c.commit()\"");
        OriginalClient client(dir.path(),
                              clientOptions(port, "unlucky", AuthBy::Flag, "clientAuth1:1234"));
        CPPUNIT_ASSERT_MESSAGE(
            rportd.output(),
            rportd.waitForOutput("cannot check client auth id \"clientAuth1\" (127.0.0.1)", 20000));
        CPPUNIT_ASSERT(!clientById(api, "unlucky"));
        CPPUNIT_ASSERT(rportd.output().find("security: failed login from") == std::string::npos);
        CPPUNIT_ASSERT(rportd.running());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OriginalClientTest);
