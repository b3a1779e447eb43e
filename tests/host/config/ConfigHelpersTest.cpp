// The building blocks behind the loader: Go durations, port ranges, URL and
// host-name rules, CSV splitting, Go-style quoting.
#include <cppunit/extensions/HelperMacros.h>

#include "config/Duration.h"
#include "config/PortSet.h"
#include "config/Text.h"
#include "config/UrlCheck.h"

namespace rportd::config::test {

class ConfigHelpersTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigHelpersTest);
    CPPUNIT_TEST(parsesGoDurations);
    CPPUNIT_TEST(rejectsMalformedDurations);
    CPPUNIT_TEST(formatsLikeGo);
    CPPUNIT_TEST(parsesPortRanges);
    CPPUNIT_TEST(portRangeErrorsUseOriginalWording);
    CPPUNIT_TEST(httpUrlRules);
    CPPUNIT_TEST(plainUrlParsing);
    CPPUNIT_TEST(hostNames);
    CPPUNIT_TEST(csvSplitting);
    CPPUNIT_TEST(goQuoting);
    CPPUNIT_TEST_SUITE_END();

public:
    void parsesGoDurations() {
        using namespace std::chrono;
        CPPUNIT_ASSERT(parseGoDuration("1h30m") == minutes(90));
        CPPUNIT_ASSERT(parseGoDuration("-1.5h") == -minutes(90));
        CPPUNIT_ASSERT(parseGoDuration("+10s") == seconds(10));
        CPPUNIT_ASSERT(parseGoDuration(".5s") == milliseconds(500));
        CPPUNIT_ASSERT(parseGoDuration("1.s") == seconds(1));
        CPPUNIT_ASSERT(parseGoDuration("2us") == microseconds(2));
        CPPUNIT_ASSERT(parseGoDuration("2\xC2\xB5s") == microseconds(2));
        CPPUNIT_ASSERT(parseGoDuration("7ns") == nanoseconds(7));
        CPPUNIT_ASSERT(parseGoDuration("1m1m") == minutes(2));
        CPPUNIT_ASSERT(parseGoDuration("2562047h47m16.854775807s").count() ==
                       std::numeric_limits<std::int64_t>::max());
    }

    void rejectsMalformedDurations() {
        auto reason = [](const std::string& text) -> std::string {
            try {
                parseGoDuration(text);
            } catch (const DurationSyntaxError& error) {
                return error.what();
            }
            return "accepted";
        };
        CPPUNIT_ASSERT_EQUAL(std::string("invalid duration \"\""), reason(""));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid duration \".s\""), reason(".s"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid duration \"-\""), reason("-"));
        CPPUNIT_ASSERT_EQUAL(std::string("missing unit in duration \"10\""), reason("10"));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown unit \"h \" in duration \"1h 30m\""),
                             reason("1h 30m"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid duration \"9999999999h\""),
                             reason("9999999999h"));
    }

    void formatsLikeGo() {
        using namespace std::chrono;
        CPPUNIT_ASSERT_EQUAL(std::string("0s"), formatGoDuration(nanoseconds(0)));
        CPPUNIT_ASSERT_EQUAL(std::string("1s"), formatGoDuration(seconds(1)));
        CPPUNIT_ASSERT_EQUAL(std::string("1m0s"), formatGoDuration(minutes(1)));
        CPPUNIT_ASSERT_EQUAL(std::string("168h0m0s"), formatGoDuration(hours(168)));
        CPPUNIT_ASSERT_EQUAL(std::string("1m30s"), formatGoDuration(seconds(90)));
        CPPUNIT_ASSERT_EQUAL(std::string("1.5s"), formatGoDuration(milliseconds(1500)));
        CPPUNIT_ASSERT_EQUAL(std::string("300ms"), formatGoDuration(milliseconds(300)));
        CPPUNIT_ASSERT_EQUAL(std::string("2.5\xC2\xB5s"), formatGoDuration(nanoseconds(2500)));
        CPPUNIT_ASSERT_EQUAL(std::string("7ns"), formatGoDuration(nanoseconds(7)));
        CPPUNIT_ASSERT_EQUAL(std::string("-1h0m0.001s"),
                             formatGoDuration(-(hours(1) + milliseconds(1))));
    }

    void parsesPortRanges() {
        const PortSet ports = parsePortRanges({"0", "10-12", "65535"});
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, ports.size());
        CPPUNIT_ASSERT(ports.toVector() == (std::vector<int>{0, 10, 11, 12, 65535}));
        PortSet other = ports;
        other.removeAll(parsePortRanges({"11-65535"}));
        CPPUNIT_ASSERT(other.toVector() == (std::vector<int>{0, 10}));
    }

    void portRangeErrorsUseOriginalWording() {
        auto reason = [](const std::vector<std::string>& items) -> std::string {
            try {
                parsePortRanges(items);
            } catch (const PortSyntaxError& error) {
                return error.what();
            }
            return "accepted";
        };
        CPPUNIT_ASSERT_EQUAL(
            std::string("can't parse port number x: strconv.Atoi: parsing \"x\": invalid syntax"),
            reason({"x"}));
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "can't parse port number  80: strconv.Atoi: parsing \" 80\": invalid syntax"),
            reason({" 80"}));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid port number: 65536"), reason({"65536"}));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid port range 9-8"), reason({"9-8"}));
        CPPUNIT_ASSERT_EQUAL(std::string("can't parse port range: incorrect range 1-2-3"),
                             reason({"1-2-3"}));
        CPPUNIT_ASSERT_EQUAL(std::string("can't parse port number 99999999999999999999: "
                                         "strconv.Atoi: parsing \"99999999999999999999\": value "
                                         "out of range"),
                             reason({"99999999999999999999"}));
    }

    void httpUrlRules() {
        CPPUNIT_ASSERT_EQUAL(std::string(), checkHttpUrl("http://rport.example.com"));
        CPPUNIT_ASSERT_EQUAL(std::string(), checkHttpUrl("HTTPS://[::1]:8080/path?x=1"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid url ftp:example.com: schema must be http or https"),
            checkHttpUrl("ftp:example.com"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid url https:go.lang, must be absolute url"),
                             checkHttpUrl("https:go.lang"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid url rport.example.com: parse \"rport.example.com\": invalid URI "
                        "for request"),
            checkHttpUrl("rport.example.com"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid url http://a:b: parse \"http://a:b\": invalid port \":b\" after "
                        "host"),
            checkHttpUrl("http://a:b"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid url :x: parse \":x\": missing protocol scheme"),
                             checkHttpUrl(":x"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid url http://a b: parse \"http://a b\": invalid character \" \" in "
                        "host name"),
            checkHttpUrl("http://a b"));
    }

    void plainUrlParsing() {
        std::string error;
        auto parts = parseUrl("https://rport.example.com:443/x#frag", error);
        CPPUNIT_ASSERT(parts.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("rport.example.com:443"), parts->host);
        CPPUNIT_ASSERT_EQUAL(std::string("rport.example.com"), hostWithoutPort(parts->host));
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), hostWithoutPort("[::1]:443"));
        CPPUNIT_ASSERT(parseUrl("relative/path", error).has_value());
        CPPUNIT_ASSERT(!parseUrl("1a:b", error).has_value());
        CPPUNIT_ASSERT_EQUAL(
            std::string("parse \"1a:b\": first path segment in URL cannot contain colon"), error);
        CPPUNIT_ASSERT(!parseUrl("http://x/%zz", error).has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("parse \"http://x/%zz\": invalid URL escape \"%zz\""),
                             error);
    }

    void hostNames() {
        CPPUNIT_ASSERT(isDnsName("tunnels.rport.example.com"));
        CPPUNIT_ASSERT(isDnsName("localhost"));
        CPPUNIT_ASSERT(isDnsName("host_1.example."));
        CPPUNIT_ASSERT(!isDnsName("bad tunnel host"));
        CPPUNIT_ASSERT(!isDnsName("-leading.example"));
        CPPUNIT_ASSERT(!isDnsName("a..b"));
        CPPUNIT_ASSERT(!isDnsName("192.168.1.1"));  // an IP, not a name
        CPPUNIT_ASSERT(isIpAddress("192.168.1.1"));
        CPPUNIT_ASSERT(isIpAddress("2001:db8::1"));
        CPPUNIT_ASSERT(!isIpAddress("300.1.1.1"));
    }

    void csvSplitting() {
        CPPUNIT_ASSERT(splitCsvRecord("a, b ,c") == (std::vector<std::string>{"a", "b", "c"}));
        CPPUNIT_ASSERT(splitCsvRecord("\"x, y\",z") == (std::vector<std::string>{"x, y", "z"}));
        CPPUNIT_ASSERT(splitCsvRecord("\"say \"\"hi\"\"\"") ==
                       (std::vector<std::string>{"say \"hi\""}));
        CPPUNIT_ASSERT(splitCsvRecord("a,") == (std::vector<std::string>{"a", ""}));
        CPPUNIT_ASSERT_THROW(splitCsvRecord("\"open"), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(splitCsvRecord("a\"b"), std::invalid_argument);
    }

    void goQuoting() {
        CPPUNIT_ASSERT_EQUAL(std::string("\"a\\\"b\\\\c\\n\\x01\""), goQuote("a\"b\\c\n\x01"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"caf\xC3\xA9\""), goQuote("caf\xC3\xA9"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigHelpersTest);

}  // namespace rportd::config::test
