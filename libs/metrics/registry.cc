#include "kinora/metrics/registry.h"

#include <cmath>
#include <cstdio>

namespace kinora::metrics {
namespace {

void AtomicAdd(std::atomic<double>& a, double v) {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

std::string FormatNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.9g", v);
  }
  return buf;
}

std::string EscapeLabel(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string LabelSet(const std::vector<std::string>& names, const Labels& values,
                     const std::string& extra_name = {}, const std::string& extra_value = {}) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += out.empty() ? "{" : ",";
    out += names[i] + "=\"" + EscapeLabel(values[i]) + "\"";
  }
  if (!extra_name.empty()) {
    out += out.empty() ? "{" : ",";
    out += extra_name + "=\"" + extra_value + "\"";
  }
  if (!out.empty()) out += "}";
  return out;
}

void Header(std::string& out, const std::string& name, const std::string& help,
            std::string_view type) {
  out += "# HELP " + name + " " + help + "\n";
  out += "# TYPE " + name + " " + std::string(type) + "\n";
}

}  // namespace

void Counter::Inc(double v) { AtomicAdd(value_, v); }
void Gauge::Add(double v) { AtomicAdd(value_, v); }

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Take() const {
  Snapshot s;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;  // consistent with the buckets even while observations race
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

Family<Counter>& Registry::AddCounter(std::string_view name, std::string_view help,
                                      std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  auto& f = counters_[std::string(name)];
  if (!f) {
    f = std::make_unique<Family<Counter>>(std::string(name), std::string(help),
                                          std::move(label_names),
                                          [] { return std::make_unique<Counter>(); });
  }
  return *f;
}

Family<Gauge>& Registry::AddGauge(std::string_view name, std::string_view help,
                                  std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  auto& f = gauges_[std::string(name)];
  if (!f) {
    f = std::make_unique<Family<Gauge>>(std::string(name), std::string(help),
                                        std::move(label_names),
                                        [] { return std::make_unique<Gauge>(); });
  }
  return *f;
}

Family<Histogram>& Registry::AddHistogram(std::string_view name, std::string_view help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  auto& f = histograms_[std::string(name)];
  if (!f) {
    f = std::make_unique<Family<Histogram>>(
        std::string(name), std::string(help), std::move(label_names),
        [bounds] { return std::make_unique<Histogram>(bounds); });
  }
  return *f;
}

void Registry::AddCallbackGauge(std::string_view name, std::string_view help,
                                std::function<double()> fn) {
  std::lock_guard lock(mu_);
  callbacks_[std::string(name)] = {std::string(help), std::move(fn)};
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  // The lambdas capture plain references: clang 14 (the fuzz preset) cannot capture structured
  // bindings.
  for (const auto& entry : counters_) {
    const std::string& name = entry.first;
    const auto& fam = entry.second;
    Header(out, name, fam->help(), "counter");
    fam->ForEach([&](const Labels& l, const Counter& c) {
      out += name + LabelSet(fam->label_names(), l) + " " + FormatNumber(c.value()) + "\n";
    });
  }
  for (const auto& entry : gauges_) {
    const std::string& name = entry.first;
    const auto& fam = entry.second;
    Header(out, name, fam->help(), "gauge");
    fam->ForEach([&](const Labels& l, const Gauge& g) {
      out += name + LabelSet(fam->label_names(), l) + " " + FormatNumber(g.value()) + "\n";
    });
  }
  for (const auto& [name, cb] : callbacks_) {
    Header(out, name, cb.first, "gauge");
    out += name + " " + FormatNumber(cb.second()) + "\n";
  }
  for (const auto& entry : histograms_) {
    const std::string& name = entry.first;
    const auto& fam = entry.second;
    Header(out, name, fam->help(), "histogram");
    fam->ForEach([&](const Labels& l, const Histogram& h) {
      auto s = h.Take();
      const auto& names = fam->label_names();
      for (size_t i = 0; i < h.bounds().size(); ++i) {
        out += name + "_bucket" + LabelSet(names, l, "le", FormatNumber(h.bounds()[i])) + " " +
               FormatNumber(static_cast<double>(s.cumulative[i])) + "\n";
      }
      out += name + "_bucket" + LabelSet(names, l, "le", "+Inf") + " " +
             FormatNumber(static_cast<double>(s.cumulative.back())) + "\n";
      out += name + "_sum" + LabelSet(names, l) + " " + FormatNumber(s.sum) + "\n";
      out += name + "_count" + LabelSet(names, l) + " " +
             FormatNumber(static_cast<double>(s.count)) + "\n";
    });
  }
  return out;
}

std::vector<double> LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

}  // namespace kinora::metrics
