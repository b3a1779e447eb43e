#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Message.h>

#include <regex>

#include "util/LogFormatter.h"

class LogFormatterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LogFormatterTest);
    CPPUNIT_TEST(formatsLikeTheOriginal);
    CPPUNIT_TEST(mapsPocoPrioritiesToThreeLevelsAndWarning);
    CPPUNIT_TEST_SUITE_END();

    static std::string format(const std::string& source, Poco::Message::Priority p) {
        rportd::util::LogFormatter f;
        std::string text;
        f.format(Poco::Message(source, "hello", p), text);
        return text;
    }

public:
    void formatsLikeTheOriginal() {
        std::string line = format("api-listener", Poco::Message::PRIO_INFORMATION);
        CPPUNIT_ASSERT_MESSAGE(line, std::regex_match(line, std::regex(
            R"(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} info: api-listener: hello)")));
    }

    void mapsPocoPrioritiesToThreeLevelsAndWarning() {
        CPPUNIT_ASSERT(format("s", Poco::Message::PRIO_CRITICAL).find(" error: s: ") != std::string::npos);
        CPPUNIT_ASSERT(format("s", Poco::Message::PRIO_WARNING).find(" warning: s: ") != std::string::npos);
        CPPUNIT_ASSERT(format("s", Poco::Message::PRIO_NOTICE).find(" info: s: ") != std::string::npos);
        CPPUNIT_ASSERT(format("s", Poco::Message::PRIO_TRACE).find(" debug: s: ") != std::string::npos);
        CPPUNIT_ASSERT(format("", Poco::Message::PRIO_ERROR).find(" error: hello") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogFormatterTest);
