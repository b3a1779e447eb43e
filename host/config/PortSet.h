#pragma once
// The set of TCP ports the server may hand out for tunnels, built from the
// `used_ports` / `excluded_ports` strings ("20000-30000", "9000", ...).
#include <bitset>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace rportd::config {

class PortSet {
public:
    static constexpr int kMaxPort = 65535;

    void add(int port) { _ports.set(static_cast<std::size_t>(port)); }
    void addRange(int first, int last);
    void removeAll(const PortSet& other) { _ports &= ~other._ports; }

    bool contains(int port) const {
        return port >= 0 && port <= kMaxPort && _ports.test(static_cast<std::size_t>(port));
    }
    std::size_t size() const { return _ports.count(); }
    bool empty() const { return _ports.none(); }
    std::vector<int> toVector() const;

    bool operator==(const PortSet& other) const { return _ports == other._ports; }

private:
    std::bitset<kMaxPort + 1> _ports;
};

class PortSyntaxError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Parses items of the form "N" or "A-B" (0 <= N <= 65535, A <= B). No blanks
// are trimmed here, like the original. Throws PortSyntaxError whose text
// matches the original's wording, e.g. "invalid port range 30-20".
PortSet parsePortRanges(const std::vector<std::string>& items);

}  // namespace rportd::config
