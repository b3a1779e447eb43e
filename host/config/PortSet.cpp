#include "config/PortSet.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

#include "config/Text.h"

namespace rportd::config {
namespace {

// Behaves like Go's strconv.Atoi followed by the original's range check, so
// the error texts stay what users of the original know.
int parsePortNumber(const std::string& text) {
    const std::string atoiPrefix =
        "can't parse port number " + text + ": strconv.Atoi: parsing " + goQuote(text) + ": ";
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (i == text.size()) throw PortSyntaxError(atoiPrefix + "invalid syntax");
    for (std::size_t j = i; j < text.size(); ++j) {
        if (text[j] < '0' || text[j] > '9') throw PortSyntaxError(atoiPrefix + "invalid syntax");
    }
    errno = 0;
    const long long value = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE) throw PortSyntaxError(atoiPrefix + "value out of range");
    if (value < 0 || value > PortSet::kMaxPort)
        throw PortSyntaxError("invalid port number: " + std::to_string(value));
    return static_cast<int>(value);
}

}  // namespace

void PortSet::addRange(int first, int last) {
    for (int port = first; port <= last; ++port) add(port);
}

std::vector<int> PortSet::toVector() const {
    std::vector<int> ports;
    ports.reserve(size());
    for (int port = 0; port <= kMaxPort; ++port) {
        if (_ports.test(static_cast<std::size_t>(port))) ports.push_back(port);
    }
    return ports;
}

PortSet parsePortRanges(const std::vector<std::string>& items) {
    PortSet ports;
    for (const auto& item : items) {
        const auto dash = item.find('-');
        if (dash == std::string::npos) {
            ports.add(parsePortNumber(item));
            continue;
        }
        if (item.find('-', dash + 1) != std::string::npos)
            throw PortSyntaxError("can't parse port range: incorrect range " + item);
        const std::string firstText = item.substr(0, dash);
        const std::string lastText = item.substr(dash + 1);
        const int first = parsePortNumber(firstText);
        const int last = parsePortNumber(lastText);
        if (first > last) throw PortSyntaxError("invalid port range " + firstText + "-" + lastText);
        ports.addRange(first, last);
    }
    return ports;
}

}  // namespace rportd::config
