// How rportd reads its command line (app/CommandLine.h), without starting it.
#include <cppunit/extensions/HelperMacros.h>

#include "app/CommandLine.h"

using namespace rportd::app;

namespace {
std::string errorOf(const std::vector<std::string>& args) {
    try {
        parseCommandLine(args);
    } catch (const CommandLineError& e) {
        return e.what();
    }
    return "(accepted)";
}
}  // namespace

class CommandLineParsingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CommandLineParsingTest);
    CPPUNIT_TEST(configInEveryForm);
    CPPUNIT_TEST(flags);
    CPPUNIT_TEST(abbreviations);
    CPPUNIT_TEST(helpAndVersionEndProcessing);
    CPPUNIT_TEST(mistakesNameTheOption);
    CPPUNIT_TEST(helpListsEveryOption);
    CPPUNIT_TEST_SUITE_END();

public:
    void configInEveryForm() {
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"-c", "/etc/r.conf"}, {"-c/etc/r.conf"}, {"--config", "/etc/r.conf"}, {"--config=/etc/r.conf"}})
            CPPUNIT_ASSERT_EQUAL(std::string("/etc/r.conf"), parseCommandLine(args).configPath);
        CPPUNIT_ASSERT_EQUAL(std::string(), parseCommandLine({}).configPath);
    }

    void flags() {
        CommandLine cmd = parseCommandLine(
            {"--check-config", "--create-tables", "--list-plugins", "--hash-password", "--daemon", "--pidfile", "/run/r.pid"});
        CPPUNIT_ASSERT(cmd.checkConfig && cmd.createTables && cmd.listPlugins && cmd.hashPassword && cmd.daemon);
        CPPUNIT_ASSERT_EQUAL(std::string("/run/r.pid"), cmd.pidFile);
        CPPUNIT_ASSERT(!cmd.help && !cmd.version);
    }

    void abbreviations() {
        CPPUNIT_ASSERT(parseCommandLine({"--check"}).checkConfig);
        CPPUNIT_ASSERT_EQUAL(std::string("x"), parseCommandLine({"--conf=x"}).configPath);
        CPPUNIT_ASSERT_EQUAL(std::string("ambiguous option --c (--config, --check-config, --create-tables)"),
                             errorOf({"--c"}));
    }

    void helpAndVersionEndProcessing() {
        CPPUNIT_ASSERT(parseCommandLine({"--version", "--bogus"}).version);
        CPPUNIT_ASSERT(parseCommandLine({"-h", "stray"}).help);
        CPPUNIT_ASSERT(parseCommandLine({"-v"}).version);
    }

    void mistakesNameTheOption() {
        CPPUNIT_ASSERT_EQUAL(std::string("unknown option --no-such-option"), errorOf({"--no-such-option"}));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown option -x"), errorOf({"-x"}));
        CPPUNIT_ASSERT_EQUAL(std::string("option --config needs FILE"), errorOf({"-c"}));
        CPPUNIT_ASSERT_EQUAL(std::string("option --config may be given only once"), errorOf({"-c", "a", "-c", "b"}));
        CPPUNIT_ASSERT_EQUAL(std::string("option --config needs a file name"), errorOf({"--config="}));
        CPPUNIT_ASSERT_EQUAL(std::string("option --check-config takes no value"), errorOf({"--check-config=yes"}));
        CPPUNIT_ASSERT_EQUAL(std::string("unexpected argument \"serve\" (options start with -)"), errorOf({"serve"}));
    }

    void helpListsEveryOption() {
        const std::string help = commandLineHelp();
        for (const char* option : {"-c, --config=FILE", "--check-config", "--create-tables", "--list-plugins",
                                   "--hash-password", "--daemon", "--pidfile=FILE", "-v, --version", "-h, --help"})
            CPPUNIT_ASSERT_MESSAGE(option, help.find(option) != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CommandLineParsingTest);
