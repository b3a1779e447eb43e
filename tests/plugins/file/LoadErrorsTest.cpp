// A file that cannot be used fails creation with a message that names the
// file and the offending entry or position.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;

class LoadErrorsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LoadErrorsTest);
    CPPUNIT_TEST(missingFileNamesThePathAndReason);
    CPPUNIT_TEST(directoryInsteadOfFileIsRefused);
    CPPUNIT_TEST(syntaxErrorNamesLineAndColumn);
    CPPUNIT_TEST(truncatedOrEmptyFileIsInvalidJson);
    CPPUNIT_TEST(topLevelMustBeAnObject);
    CPPUNIT_TEST(passwordsMustBeStrings);
    CPPUNIT_TEST(emptyPasswordNamesTheEntry);
    CPPUNIT_TEST(emptyIdNamesThePosition);
    CPPUNIT_TEST(settingsAreChecked);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FilePluginHarness> h;

    std::string prefix() const { return "client auth file \"" + h->path() + "\": "; }

    // The creation error for this file content; checks the code and the path.
    std::string failureFor(const std::string& text) {
        h->writeInPlace(text);
        auto e = h->openFailure();
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
        const std::string message = e.what();
        CPPUNIT_ASSERT_MESSAGE(message, message.find(prefix()) != std::string::npos);
        return message;
    }
    // The fake host puts "create failed: " before the plugin's message.
    static bool endsWith(const std::string& text, const std::string& tail) {
        return text.size() >= tail.size() &&
               text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
    }
    static bool contains(const std::string& text, const std::string& needle) {
        return text.find(needle) != std::string::npos;
    }

public:
    void setUp() override { h = std::make_unique<FilePluginHarness>(); }
    void tearDown() override { h.reset(); }

    void missingFileNamesThePathAndReason() {
        auto e = h->openFailure();
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
        CPPUNIT_ASSERT_MESSAGE(
            e.what(), contains(e.what(), prefix() + "cannot read: No such file or directory"));
    }

    void directoryInsteadOfFileIsRefused() {
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(h->path().c_str(), 0755));
        auto e = h->openFailure();
        CPPUNIT_ASSERT_MESSAGE(e.what(),
                               contains(e.what(), prefix() + "cannot read: not a regular file"));
    }

    void syntaxErrorNamesLineAndColumn() {
        const std::string m = failureFor("{\n  \"a\": \"x\",\n  \"b\": x\n}\n");
        CPPUNIT_ASSERT_MESSAGE(m, contains(m, prefix() + "invalid JSON at line 3, column 8: "));
        CPPUNIT_ASSERT_MESSAGE(m, contains(m, "'x'"));  // Poco's reason follows the position

        const std::string trailingComma = failureFor("{\"a\": \"x\",\n}");
        CPPUNIT_ASSERT_MESSAGE(trailingComma,
                               contains(trailingComma, "invalid JSON at line 2, column 1: "));

        // Columns count characters, not bytes.
        const std::string afterUmlaut = failureFor(u8"{\"äöü\": 1x}");
        CPPUNIT_ASSERT_MESSAGE(afterUmlaut,
                               contains(afterUmlaut, "invalid JSON at line 1, column 10: "));
    }

    void truncatedOrEmptyFileIsInvalidJson() {
        CPPUNIT_ASSERT(contains(failureFor("{\"a\": \"x\""),
                                "invalid JSON at line 1, column 10"));  // just past the end
        CPPUNIT_ASSERT(contains(failureFor("{\"a\": \"x"), "invalid JSON at line 1, column 9"));
        CPPUNIT_ASSERT(contains(failureFor(""), "invalid JSON at line 1, column 1"));
        CPPUNIT_ASSERT(contains(failureFor("{\"a\": \"x\"} {}"), "invalid JSON"));
    }

    void topLevelMustBeAnObject() {
        const std::string expected =
            "the top level must be a JSON object mapping client auth ids to passwords, found ";
        CPPUNIT_ASSERT(contains(failureFor("[\"a\", \"b\"]"), prefix() + expected + "an array"));
        CPPUNIT_ASSERT(contains(failureFor("\"a\""), prefix() + expected + "a string"));
        CPPUNIT_ASSERT(contains(failureFor("null"), prefix() + expected + "null"));
        CPPUNIT_ASSERT(contains(failureFor("42"), prefix() + expected + "a number"));
    }

    void passwordsMustBeStrings() {
        const std::string expected =
            prefix() + "entry \"abc\": the password must be a JSON string, found ";
        CPPUNIT_ASSERT(contains(failureFor(R"({"ok": "x", "abc": 5})"), expected + "a number"));
        CPPUNIT_ASSERT(contains(failureFor(R"({"abc": 5.5})"), expected + "a number"));
        CPPUNIT_ASSERT(contains(failureFor(R"({"abc": null})"), expected + "null"));
        CPPUNIT_ASSERT(contains(failureFor(R"({"abc": true})"), expected + "a boolean"));
        CPPUNIT_ASSERT(contains(failureFor(R"({"abc": {"x": "y"}})"), expected + "an object"));
        CPPUNIT_ASSERT(contains(failureFor(R"({"abc": ["x"]})"), expected + "an array"));
    }

    void emptyPasswordNamesTheEntry() {
        const std::string m = failureFor(R"({"first": "x", "abc": ""})");
        CPPUNIT_ASSERT_MESSAGE(
            m, endsWith(m, prefix() + "entry \"abc\": empty password is not allowed"));
    }

    void emptyIdNamesThePosition() {
        const std::string m = failureFor(R"({"first": "x", "": "pw"})");
        CPPUNIT_ASSERT_MESSAGE(
            m, endsWith(m, prefix() + "entry #2: empty client auth id is not allowed"));
    }

    void settingsAreChecked() {
        h->writeInPlace("{}");
        h->host().settings.clear();
        try {
            h->host().createAuth(h->plugin(), RPORT_KIND_CLIENT_AUTH, "file");
            CPPUNIT_FAIL("created without a path");
        } catch (const rport::sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
            CPPUNIT_ASSERT_MESSAGE(e.what(), contains(e.what(), "missing setting 'path'"));
        }
        CPPUNIT_ASSERT(contains(h->openFailure({{"path", ""}}).what(),
                                "setting 'path' must name the client auth file"));
        CPPUNIT_ASSERT(
            contains(h->openFailure({{"check_interval_ms", "soon"}}).what(),
                     "setting 'check_interval_ms' must be a whole number of milliseconds"));
        CPPUNIT_ASSERT(contains(h->openFailure({{"inotify", "maybe"}}).what(),
                                "setting 'inotify' must be true or false"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoadErrorsTest);
