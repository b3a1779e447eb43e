// Keys that do not stop the server: unknown keys and sections, keys of the
// original we do not support yet, deprecated names. One warning each.
#include <cppunit/extensions/HelperMacros.h>

#include "ConfigTestSupport.h"

namespace rportd::config::test {

class ConfigWarningsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigWarningsTest);
    CPPUNIT_TEST(unknownKeyWarnsWithLine);
    CPPUNIT_TEST(unknownSectionWarnsOnce);
    CPPUNIT_TEST(keyOutsideSectionWarns);
    CPPUNIT_TEST(unsupportedKeyWarnsOnceAndIsIgnored);
    CPPUNIT_TEST(unsupportedSectionWarnsPerKeyWhateverTheType);
    CPPUNIT_TEST(unknownKeyInsideUnsupportedSection);
    CPPUNIT_TEST(unsupportedSectionThatIsNotATable);
    CPPUNIT_TEST(deprecatedServerKeysAreMapped);
    CPPUNIT_TEST(deprecatedZeroValueDoesNotOverride);
    CPPUNIT_TEST(deprecatedMaxRequestBytesMovesToApi);
    CPPUNIT_TEST(deprecatedUnsupportedKeysWarnOnce);
    CPPUNIT_TEST(errorsAboutMappedKeysPointAtTheOldKey);
    CPPUNIT_TEST_SUITE_END();

public:
    void unknownKeyWarnsWithLine() {
        std::vector<std::string> warnings;
        const Config c = loadText(kMinimalConfig + "adress = \"1.2.3.4:80\"\n", &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:3: [server] adress: unknown key, ignored"),
                             warnings[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("0.0.0.0:8080"), c.server.address);
    }

    void unknownSectionWarnsOnce() {
        std::vector<std::string> warnings;
        loadText(kMinimalConfig + "[extras]\na = 1\nb = 2\n", &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:3: [extras]: unknown section, ignored"),
                             warnings[0]);
    }

    void keyOutsideSectionWarns() {
        std::vector<std::string> warnings;
        loadText("verbose = true\n" + kMinimalConfig, &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:1: verbose: key outside of any section, ignored"),
            warnings[0]);
    }

    void unsupportedKeyWarnsOnceAndIsIgnored() {
        std::vector<std::string> warnings;
        loadText(kMinimalConfig + "jobs_max_results = \"not even a number\"\n", &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] jobs_max_results: not supported by this rportd "
                        "yet, ignored"),
            warnings[0]);
    }

    void unsupportedSectionWarnsPerKeyWhateverTheType() {
        std::vector<std::string> warnings;
        loadText(kMinimalConfig +
                     "[smtp]\nserver = 'smtp.example.com:2525'\nsecure = \"maybe\"\n"
                     "[monitoring]\nenabled = [1, 2]\n",
                 &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: [smtp] server: not supported by this rportd yet, ignored"),
            warnings[0]);
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:5: [smtp] secure: not supported by this rportd yet, ignored"),
            warnings[1]);
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:7: [monitoring] enabled: not supported by this rportd yet, "
                        "ignored"),
            warnings[2]);
    }

    void unknownKeyInsideUnsupportedSection() {
        std::vector<std::string> warnings;
        loadText(kMinimalConfig + "[pushover]\napi_tokn = 'x'\n", &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: [pushover] api_tokn: unknown key, ignored"), warnings[0]);
    }

    void unsupportedSectionThatIsNotATable() {
        std::vector<std::string> warnings;
        loadText("smtp = 1\n" + kMinimalConfig, &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, countContaining(warnings, "rportd.conf:1: [smtp]: "));
    }

    void deprecatedServerKeysAreMapped() {
        std::vector<std::string> warnings;
        const Config c = loadText(kMinimalConfig +
                                      "cleanup_lost_clients = true\n"
                                      "keep_lost_clients = \"2h\"\n"
                                      "keep_disconnected_clients = \"3h\"\n"
                                      "cleanup_clients_interval = \"10m\"\n",
                                  &warnings);
        CPPUNIT_ASSERT(c.server.purge_disconnected_clients);
        // The old key wins, whatever the order in the file.
        CPPUNIT_ASSERT(c.server.keep_disconnected_clients == std::chrono::hours(2));
        CPPUNIT_ASSERT(c.server.purge_disconnected_clients_interval == std::chrono::minutes(10));
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: [server] keep_lost_clients: deprecated, use "
                        "'keep_disconnected_clients' instead (its value was applied to "
                        "'keep_disconnected_clients')"),
            warnings[1]);
        CPPUNIT_ASSERT_EQUAL(
            std::size_t{1}, countContaining(warnings, "[server] cleanup_lost_clients: deprecated"));
        CPPUNIT_ASSERT_EQUAL(
            std::size_t{1},
            countContaining(warnings, "[server] cleanup_clients_interval: deprecated"));
    }

    void deprecatedZeroValueDoesNotOverride() {
        std::vector<std::string> warnings;
        const Config c = loadText(kMinimalConfig +
                                      "keep_lost_clients = \"0\"\n"
                                      "keep_disconnected_clients = \"3h\"\n",
                                  &warnings);
        CPPUNIT_ASSERT(c.server.keep_disconnected_clients == std::chrono::hours(3));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] keep_lost_clients: deprecated, use "
                        "'keep_disconnected_clients' instead"),
            warnings[0]);
    }

    void deprecatedMaxRequestBytesMovesToApi() {
        std::vector<std::string> warnings;
        const Config c = loadText(kMinimalConfig + "max_request_bytes = 2048\n", &warnings);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2048}, c.api.max_request_bytes);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             countContaining(warnings,
                                             "rportd.conf:3: [server] max_request_bytes: "
                                             "deprecated, use '[api] max_request_bytes'"));
    }

    void deprecatedUnsupportedKeysWarnOnce() {
        std::vector<std::string> warnings;
        loadText(kMinimalConfig + "max_filepush_size = 1\nenable_ws_test_endpoints = true\n",
                 &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, warnings.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2},
                             countContaining(warnings, "not supported by this rportd yet"));
    }

    void errorsAboutMappedKeysPointAtTheOldKey() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:4: expected 'Keep Lost Clients' can be in range [1s, "
                        "168h0m0s], actual: 200h0m0s"),
            loadError(kMinimalConfig + "purge_disconnected_clients = true\n"
                                       "keep_lost_clients = \"200h\"\n"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("rportd.conf:3: [server] keep_lost_clients: unknown unit \"x\" in duration "
                        "\"2x\" (expected e.g. \"90s\", \"5m\" or \"1h30m\")"),
            loadError(kMinimalConfig + "keep_lost_clients = \"2x\"\n"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigWarningsTest);

}  // namespace rportd::config::test
