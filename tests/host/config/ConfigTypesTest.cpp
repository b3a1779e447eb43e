// Value types: wrong types name key and line; the original's weak typing
// (strings for bools/numbers, a string for a list) keeps working; durations;
// key names are case-insensitive.
#include <cppunit/extensions/HelperMacros.h>

#include "ConfigTestSupport.h"

namespace rportd::config::test {

class ConfigTypesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigTypesTest);
    CPPUNIT_TEST(wrongTypeNamesKeyAndLine);
    CPPUNIT_TEST(wrongTypesOfOtherKinds);
    CPPUNIT_TEST(integerOutOfRange);
    CPPUNIT_TEST(numericStringsAreNumbers);
    CPPUNIT_TEST(wholeFloatIsAnInteger);
    CPPUNIT_TEST(boolSpellings);
    CPPUNIT_TEST(scalarsAreAcceptedAsStrings);
    CPPUNIT_TEST(stringSplitsIntoList);
    CPPUNIT_TEST(arrayOfNumbersIsAListOfStrings);
    CPPUNIT_TEST(badCsvString);
    CPPUNIT_TEST(durationsInGoSyntax);
    CPPUNIT_TEST(bareIntegerDurationIsNanoseconds);
    CPPUNIT_TEST(badDurations);
    CPPUNIT_TEST(logLevels);
    CPPUNIT_TEST(keyNamesAreCaseInsensitive);
    CPPUNIT_TEST(keysEqualAfterLowerCasingAreAnError);
    CPPUNIT_TEST(sectionsEqualAfterLowerCasingAreAnError);
    CPPUNIT_TEST(sectionThatIsNotATable);
    CPPUNIT_TEST_SUITE_END();

public:
    void wrongTypeNamesKeyAndLine() {
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:3: [server] ban_time: expected an integer, got string \"abc\""),
            loadError(kMinimalConfig + "ban_time = \"abc\"\n"));
    }

    void wrongTypesOfOtherKinds() {
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "rportd.conf:3: [server] auth_write: expected a boolean, got string \"yes\""),
            loadError(kMinimalConfig + "auth_write = \"yes\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] data_dir: expected a string, got an array"),
            loadError(kMinimalConfig + "data_dir = [\"a\"]\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] used_ports: expected a list of strings, got "
                        "boolean true"),
            loadError(kMinimalConfig + "used_ports = true\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] max_failed_login: expected an integer, got "
                        "float 2.5"),
            loadError(kMinimalConfig + "max_failed_login = 2.5\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] client_login_wait: expected a number, got "
                        "string \"soon\""),
            loadError(kMinimalConfig + "client_login_wait = \"soon\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:2: [server] url: expected a list of strings, got an array "
                        "containing a table"),
            loadError("[server]\nurl = [{a = 1}]\nauth = \"a:b\"\n"));
    }

    void integerOutOfRange() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] max_failed_login: 99999999999 is out of range "
                        "(-2147483648..2147483647)"),
            loadError(kMinimalConfig + "max_failed_login = 99999999999\n"));
    }

    void numericStringsAreNumbers() {
        const Config c = loadText(kMinimalConfig +
                                  "ban_time = \"42\"\nclient_login_wait = \"0.5\"\n"
                                  "max_request_bytes_client = \"1024\"\nacme_http_port = \"\"\n");
        CPPUNIT_ASSERT_EQUAL(42, c.server.ban_time);
        CPPUNIT_ASSERT_EQUAL(0.5, c.server.client_login_wait);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1024}, c.server.max_request_bytes_client);
        CPPUNIT_ASSERT_EQUAL(0, c.server.acme_http_port);  // "" is zero under weak typing
        CPPUNIT_ASSERT_EQUAL(
            3.0, loadText(kMinimalConfig + "client_login_wait = 3\n").server.client_login_wait);
    }

    void wholeFloatIsAnInteger() {
        CPPUNIT_ASSERT_EQUAL(7, loadText(kMinimalConfig + "ban_time = 7.0\n").server.ban_time);
    }

    void boolSpellings() {
        CPPUNIT_ASSERT(!loadText(kMinimalConfig + "auth_write = \"false\"\n").server.auth_write);
        CPPUNIT_ASSERT(loadText(kMinimalConfig + "allow_root = \"true\"\n").server.allow_root);
        CPPUNIT_ASSERT(loadText(kMinimalConfig + "allow_root = \"1\"\n").server.allow_root);
        CPPUNIT_ASSERT(!loadText(kMinimalConfig + "sqlite_wal = \"F\"\n").server.sqlite_wal);
        CPPUNIT_ASSERT(loadText(kMinimalConfig + "allow_root = 1\n").server.allow_root);
        CPPUNIT_ASSERT(!loadText(kMinimalConfig + "sqlite_wal = false\n").server.sqlite_wal);
    }

    void scalarsAreAcceptedAsStrings() {
        const Config c =
            loadText(kMinimalConfig + "key_seed = 12345\n[database]\ndb_password = 4.5\n");
        CPPUNIT_ASSERT_EQUAL(std::string("12345"), c.server.key_seed);
        CPPUNIT_ASSERT_EQUAL(std::string("4.5"), c.database.db_password);
    }

    void stringSplitsIntoList() {
        const Config c = loadText(kMinimalConfig +
                                  "url = \"http://a.example, https://b.example\"\n"
                                  "used_ports = \"[1000,2000-3000]\"\nexcluded_ports = \"\"\n");
        CPPUNIT_ASSERT(c.server.url ==
                       (std::vector<std::string>{"http://a.example", "https://b.example"}));
        CPPUNIT_ASSERT(c.server.used_ports == (std::vector<std::string>{"1000", "2000-3000"}));
        CPPUNIT_ASSERT(c.server.excluded_ports.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1002}, c.server.allowed_ports.size());
        const Config single = loadText(kMinimalConfig + "url = \"http://one.example\"\n");
        CPPUNIT_ASSERT(single.server.url == std::vector<std::string>{"http://one.example"});
        const Config quoted = loadText(kMinimalConfig + "used_ports = '\"5000\", 6000'\n");
        CPPUNIT_ASSERT(quoted.server.used_ports == (std::vector<std::string>{"5000", "6000"}));
    }

    void arrayOfNumbersIsAListOfStrings() {
        const Config c = loadText(kMinimalConfig + "used_ports = [20000, \"21000-21010\"]\n");
        CPPUNIT_ASSERT(c.server.used_ports == (std::vector<std::string>{"20000", "21000-21010"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{12}, c.server.allowed_ports.size());
    }

    void badCsvString() {
        const std::string error = loadError(kMinimalConfig + "url = 'http://a, \"http://b'\n");
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:3: [server] url: cannot split "),
                             error.substr(0, 42));
    }

    void durationsInGoSyntax() {
        using namespace std::chrono;
        auto keep = [](const std::string& value) {
            return loadText(kMinimalConfig + "keep_disconnected_clients = \"" + value + "\"\n")
                .server.keep_disconnected_clients;
        };
        CPPUNIT_ASSERT(keep("90s") == seconds(90));
        CPPUNIT_ASSERT(keep("5m") == minutes(5));
        CPPUNIT_ASSERT(keep("1h30m") == minutes(90));
        CPPUNIT_ASSERT(keep("1.5h") == minutes(90));
        CPPUNIT_ASSERT(keep("300ms") == milliseconds(300));
        CPPUNIT_ASSERT(keep("0") == nanoseconds(0));
        CPPUNIT_ASSERT(keep("2h45m30.5s") == hours(2) + minutes(45) + milliseconds(30500));
    }

    void bareIntegerDurationIsNanoseconds() {
        const Config c = loadText(kMinimalConfig + "check_port_timeout = 1500000000\n");
        CPPUNIT_ASSERT(c.server.check_port_timeout == std::chrono::milliseconds(1500));
    }

    void badDurations() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] keep_disconnected_clients: unknown unit \"d\" in "
                        "duration \"7d\" (expected e.g. \"90s\", \"5m\" or \"1h30m\")"),
            loadError(kMinimalConfig + "keep_disconnected_clients = \"7d\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] check_port_timeout: missing unit in duration "
                        "\"5\" (expected e.g. \"90s\", \"5m\" or \"1h30m\")"),
            loadError(kMinimalConfig + "check_port_timeout = \"5\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] check_port_timeout: invalid duration \"soon\" "
                        "(expected e.g. \"90s\", \"5m\" or \"1h30m\")"),
            loadError(kMinimalConfig + "check_port_timeout = \"soon\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] check_port_timeout: expected a duration such as "
                        "\"90s\", got float 1.5"),
            loadError(kMinimalConfig + "check_port_timeout = 1.5\n"));
    }

    void logLevels() {
        CPPUNIT_ASSERT(
            loadText(kMinimalConfig + "[logging]\nlog_level = \"debug\"\n").logging.log_level ==
            LogLevel::Debug);
        CPPUNIT_ASSERT(
            loadText(kMinimalConfig + "[logging]\nlog_level = \"error\"\n").logging.log_level ==
            LogLevel::Error);
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: [logging] log_level: invalid log level: \"verbose\""),
            loadError(kMinimalConfig + "[logging]\nlog_level = \"verbose\"\n"));
    }

    void keyNamesAreCaseInsensitive() {
        const Config c = loadText(
            "[SERVER]\nAuth = \"a:b\"\nData_Dir = \"/srv/rport\"\n"
            "[Api]\nADDRESS = \"127.0.0.1:3000\"\nauth = \"u:p\"\n");
        CPPUNIT_ASSERT_EQUAL(std::string("a:b"), c.server.auth);
        CPPUNIT_ASSERT_EQUAL(std::string("/srv/rport"), c.server.data_dir);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:3000"), c.api.address);
    }

    void keysEqualAfterLowerCasingAreAnError() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] auth: given twice (as \"auth\" and \"AUTH\"); key "
                        "names are case-insensitive"),
            loadError("[server]\nauth = \"a:b\"\nAUTH = \"c:d\"\n"));
    }

    void sectionsEqualAfterLowerCasingAreAnError() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server]: given twice (as \"server\" and \"Server\"); key "
                        "names are case-insensitive"),
            loadError("[server]\nauth = \"a:b\"\n[Server]\ndata_dir = \"/x\"\n"));
    }

    void sectionThatIsNotATable() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:1: [server]: expected a table, got integer 5"),
            loadError("server = 5\n"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigTypesTest);

}  // namespace rportd::config::test
