// When several keys are wrong, the error reported is the one the original
// reported: its checks run in a fixed order (rport-behaviour.md §1.1).
#include <cppunit/extensions/HelperMacros.h>

#include "ConfigTestSupport.h"

namespace rportd::config::test {

class ConfigValidationOrderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigValidationOrderTest);
    CPPUNIT_TEST(allThreeClientAuthKeysReportAuthFileAndAuth);
    CPPUNIT_TEST(urlBeforePorts);
    CPPUNIT_TEST(portsBeforeTunnelProxy);
    CPPUNIT_TEST(tunnelProxyBeforeDataDir);
    CPPUNIT_TEST(dataDirBeforeKeepRange);
    CPPUNIT_TEST(keepRangeBeforeClientAuth);
    CPPUNIT_TEST(clientAuthBeforeApi);
    CPPUNIT_TEST(apiBeforeDatabase);
    CPPUNIT_TEST(databaseBeforeCheckPortTimeout);
    CPPUNIT_TEST(checkPortTimeoutBeforeAcme);
    CPPUNIT_TEST(clientAuthConflictBeforeMissingDbType);
    CPPUNIT_TEST(apiAuthBeforeBaseUrlBeforeCertificates);
    CPPUNIT_TEST(typeErrorsBeforeAnyValidation);
    CPPUNIT_TEST(firstTypeErrorInFileOrderWins);
    CPPUNIT_TEST_SUITE_END();

public:
    void allThreeClientAuthKeysReportAuthFileAndAuth() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: 'auth_file' and 'auth' are both set: expected only one of "
                        "them"),
            loadError("[server]\nauth = \"a:b\"\nauth_file = \"/f.json\"\nauth_table = \"t\"\n"));
    }

    void urlBeforePorts() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: server.URL: invalid url ftp://x: schema must be http or "
                        "https"),
            loadError("[server]\nused_ports = [\"x\"]\nurl = \"ftp://x\"\n"));
    }

    void portsBeforeTunnelProxy() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: can't parse 'used_ports': invalid port number: 99999"),
            loadError("[server]\ntunnel_proxy_cert_file = \"/c\"\nused_ports = \"99999\"\n"));
    }

    void tunnelProxyBeforeDataDir() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: when 'tunnel_proxy_cert_file' is set, "
                        "'tunnel_proxy_key_file' must be set as well"),
            loadError("[server]\ndata_dir = \"\"\ntunnel_proxy_cert_file = \"/c\"\n"));
    }

    void dataDirBeforeKeepRange() {
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:4: 'data directory path' cannot be empty"),
                             loadError("[server]\npurge_disconnected_clients = true\n"
                                       "keep_disconnected_clients = \"999h\"\ndata_dir = \"\"\n"));
    }

    void keepRangeBeforeClientAuth() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: expected 'Keep Lost Clients' can be in range [1s, "
                        "168h0m0s], actual: 999h0m0s"),
            loadError("[server]\npurge_disconnected_clients = true\n"
                      "keep_disconnected_clients = \"999h\"\n"));
    }

    void clientAuthBeforeApi() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("client authentication must be enabled: set either 'auth', 'auth_file' or "
                        "'auth_table'"),
            loadError("[api]\naddress = \"127.0.0.1:3000\"\n"));
    }

    void apiBeforeDatabase() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:6: API: TLS must be either 1.2 or 1.3"),
            loadError("[database]\ndb_type = \"x\"\n[server]\nauth = \"a:b\"\n[api]\n"
                      "tls_min = \"2\"\naddress = \"127.0.0.1:3000\"\nauth = \"u:p\"\n"));
    }

    void databaseBeforeCheckPortTimeout() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:5: invalid 'db_type', expected 'mysql' or 'sqlite', got "
                        "\"x\""),
            loadError("[server]\nauth = \"a:b\"\ncheck_port_timeout = \"1h\"\n[database]\n"
                      "db_type = \"x\"\n"));
    }

    void checkPortTimeoutBeforeAcme() {
        // Our [acme] checks come after every check of the original.
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: 'check_port_timeout' can not be more than 1m0s"),
            loadError("[server]\nauth = \"a:b\"\ntunnel_enable_acme = true\ncheck_port_timeout = \"1h\"\n"
                      "tunnel_host = \"tunnels.example.com\"\n[acme]\nkey_type = \"dsa\"\n"));
    }

    void clientAuthConflictBeforeMissingDbType() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: 'auth' and 'auth_table' are both set: expected only one of "
                        "them"),
            loadError("[server]\nauth = \"nocolon\"\nauth_table = \"t\"\n"));
    }

    void apiAuthBeforeBaseUrlBeforeCertificates() {
        const std::string head = "[server]\nauth = \"a:b\"\n[api]\naddress = \"127.0.0.1:3000\"\n";
        const std::string bad = "base_url = \"http://a:b\"\ncert_file = \"/c\"\n";
        CPPUNIT_ASSERT_EQUAL(
            std::string("API: authentication must be enabled: set either 'auth', 'auth_file' or "
                        "'auth_user_table'"),
            loadError(head + bad));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:5: API: base_url must be a valid url: parse \"http://a:b\": "
                        "invalid port \":b\" after host"),
            loadError(head + bad + "auth = \"u:p\"\n"));
    }

    void typeErrorsBeforeAnyValidation() {
        // No client auth at all, but the type error is what the user sees first.
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: [server] ban_time: expected an integer, got boolean true"),
            loadError("[server]\nban_time = true\n"));
    }

    void firstTypeErrorInFileOrderWins() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: [server] max_failed_login: expected an integer, got string "
                        "\"x\""),
            loadError("[server]\nmax_failed_login = \"x\"\nban_time = \"y\"\n"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigValidationOrderTest);

}  // namespace rportd::config::test
