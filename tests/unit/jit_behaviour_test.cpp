// What compiled mechanisms promise beyond agreeing with the interpreter: the ABI
// structs LLVM builds match the C header, instances sharing a node all add their
// current, WATCH conditions are right, and runaway code (endless loops, endless
// recursion, indices out of range) is stopped and reported, never a crash or hang.

#include <cstddef>
#include <filesystem>

#include <gtest/gtest.h>
#include <llvm/IR/DataLayout.h>

#include "codegen/abi_types.hpp"
#include "codegen/machine.hpp"
#include "jit_support.hpp"
#include "kernel_support.hpp"

namespace ranvier::test {
namespace {

TEST(MechanismAbi, LlvmStructsHaveTheCHeadersLayout) {
  llvm::LLVMContext context;
  codegen::AbiTypes t(context);
  auto machine = codegen::targetMachine(codegen::hostTarget(), 2);
  const llvm::DataLayout layout = machine->createDataLayout();
  auto offsets = [&](llvm::StructType *type) {
    std::vector<std::size_t> out;
    const llvm::StructLayout *s = layout.getStructLayout(type);
    for (unsigned i = 0; i < type->getNumElements(); ++i) out.push_back(s->getElementOffset(i));
    out.push_back(s->getSizeInBytes());
    return out;
  };
  EXPECT_EQ(offsets(t.instances),
            (std::vector<std::size_t>{offsetof(rv_instances, count), offsetof(rv_instances, capacity),
                                      offsetof(rv_instances, fields), offsetof(rv_instances, node_index),
                                      offsetof(rv_instances, node), offsetof(rv_instances, ion_index),
                                      offsetof(rv_instances, ion_values), offsetof(rv_instances, globals),
                                      offsetof(rv_instances, thread), offsetof(rv_instances, pointers), offsetof(rv_instances, t), offsetof(rv_instances, dt),
                                      offsetof(rv_instances, celsius), offsetof(rv_instances, secondorder), offsetof(rv_instances, callbacks),
                                      sizeof(rv_instances)}));
  EXPECT_EQ(offsets(t.callbacks), (std::vector<std::size_t>{offsetof(rv_callbacks, context), offsetof(rv_callbacks, error),
                                                            offsetof(rv_callbacks, event), offsetof(rv_callbacks, watch),
                                                            offsetof(rv_callbacks, random), offsetof(rv_callbacks, netcon_weights), offsetof(rv_callbacks, function_table),
                                                            sizeof(rv_callbacks)}));
  EXPECT_EQ(offsets(t.variable),
            (std::vector<std::size_t>{offsetof(rv_variable, name), offsetof(rv_variable, unit), offsetof(rv_variable, ion),
                                      offsetof(rv_variable, storage), offsetof(rv_variable, role), offsetof(rv_variable, size),
                                      offsetof(rv_variable, slot), offsetof(rv_variable, quantity), offsetof(rv_variable, range),
                                      offsetof(rv_variable, initial), offsetof(rv_variable, read_by), offsetof(rv_variable, written_by),
                                      sizeof(rv_variable)}));
  EXPECT_EQ(offsets(t.ion), (std::vector<std::size_t>{offsetof(rv_ion, name), offsetof(rv_ion, valence),
                                                      offsetof(rv_ion, has_valence), offsetof(rv_ion, uses), sizeof(rv_ion)}));
  EXPECT_EQ(offsets(t.kernel),
            (std::vector<std::size_t>{offsetof(rv_kernel, name), offsetof(rv_kernel, kind), offsetof(rv_kernel, params),
                                      offsetof(rv_kernel, vector_width), offsetof(rv_kernel, index), offsetof(rv_kernel, range),
                                      offsetof(rv_kernel, instance), sizeof(rv_kernel)}));
  EXPECT_EQ(offsets(t.error), (std::vector<std::size_t>{offsetof(rv_error, message), offsetof(rv_error, location), sizeof(rv_error)}));
  EXPECT_EQ(offsets(t.functionTable), (std::vector<std::size_t>{offsetof(rv_function_table, name), offsetof(rv_function_table, unit),
                                                                offsetof(rv_function_table, arity), sizeof(rv_function_table)}));
  EXPECT_EQ(offsets(t.mechanism),
            (std::vector<std::size_t>{
                offsetof(rv_mechanism, abi_version), offsetof(rv_mechanism, kind), offsetof(rv_mechanism, name),
                offsetof(rv_mechanism, threadsafe), offsetof(rv_mechanism, electrode_current),
                offsetof(rv_mechanism, vector_width), offsetof(rv_mechanism, net_receive_args),
                offsetof(rv_mechanism, field_slots), offsetof(rv_mechanism, global_slots), offsetof(rv_mechanism, thread_slots),
                offsetof(rv_mechanism, pointer_slots),
                offsetof(rv_mechanism, variable_count), offsetof(rv_mechanism, variables), offsetof(rv_mechanism, ion_count),
                offsetof(rv_mechanism, ions), offsetof(rv_mechanism, kernel_count), offsetof(rv_mechanism, kernels),
                offsetof(rv_mechanism, error_count), offsetof(rv_mechanism, errors), offsetof(rv_mechanism, watch_count),
                offsetof(rv_mechanism, watch_flags), offsetof(rv_mechanism, function_table_count),
                offsetof(rv_mechanism, function_tables), offsetof(rv_mechanism, target), offsetof(rv_mechanism, compiler),
                offsetof(rv_mechanism, source_hash), sizeof(rv_mechanism)}));
}

TEST(MechanismAbi, DescriptionSaysWhatTheMechanismIs) {
  auto lowered = lowerFile(std::filesystem::path(RANVIER_SOURCE_DIR) / "mechanisms/hh.mod");
  ASSERT_TRUE(lowered->ok());
  jit::Jit jit({.target = codegen::hostTarget()});
  const rv_mechanism *m = jit.load(lowered->get());
  EXPECT_EQ(std::string(m->name), "hh");
  EXPECT_EQ(m->kind, RV_DENSITY);
  EXPECT_EQ(m->threadsafe, 1);
  EXPECT_EQ(m->vector_width, static_cast<int>(codegen::hostTarget().width));
  ASSERT_EQ(m->ion_count, 2);
  EXPECT_EQ(std::string(m->ions[0].name), "na");
  EXPECT_EQ(m->ions[0].uses, RV_READS_REVERSAL | RV_WRITES_CURRENT);
  runtime::MechanismInstances instances(*m, 3);
  const rv_variable *gnabar = instances.variable("gnabar");
  ASSERT_NE(gnabar, nullptr);
  EXPECT_EQ(gnabar->storage, RV_STORAGE_FIELD);
  EXPECT_EQ(gnabar->role, RV_ROLE_PARAMETER);
  EXPECT_EQ(std::string(gnabar->unit), "S/cm2");
  EXPECT_EQ(gnabar->range, 1);
  EXPECT_DOUBLE_EQ(instances.value(*gnabar, 2), 0.12);
  const rv_variable *ena = instances.variable("ion_ena");
  ASSERT_NE(ena, nullptr);
  EXPECT_EQ(ena->storage, RV_STORAGE_ION);
  EXPECT_EQ(std::string(ena->ion), "na");
  EXPECT_EQ(ena->quantity, RV_ION_REVERSAL);
  EXPECT_NE(instances.kernel(RV_KERNEL_STATE), nullptr);
  EXPECT_NE(instances.kernel(RV_KERNEL_TABLE_CHECK), nullptr);
}

// read_by / written_by: which kinds of kernels touch a variable, also through calls and
// WATCH conditions. The runtime trusts them to feed POINTERs across threads.
TEST(MechanismAbi, DescriptionSaysWhichKernelsTouchAVariable) {
  auto lowered = lowerText(R"(
NEURON { POINT_PROCESS Touch POINTER pc, ps, pw, pr, pn RANGE x NONSPECIFIC_CURRENT i }
ASSIGNED { pc ps pw pr pn x i (nA) }
STATE { s }
INITIAL { s = 0 }
BREAKPOINT { SOLVE st METHOD cnexp  x = pc  i = 0.001*x }
DERIVATIVE st { s' = -s + depth(3) }
FUNCTION depth(k) { if (k > 0) { depth = depth(k - 1) } else { depth = pr } }
NET_RECEIVE(w) { pw = w  WATCH (pn > 1) 2 }
)");
  ASSERT_TRUE(lowered->ok()) << lowered->messages();
  jit::Jit jit({.target = codegen::hostTarget()});
  const rv_mechanism *m = jit.load(lowered->get());
  runtime::MechanismInstances instances(*m, 1);
  auto bits = [&](const char *name) {
    const rv_variable *v = instances.variable(name);
    EXPECT_NE(v, nullptr) << name;
    return v ? std::pair{v->read_by, v->written_by} : std::pair{0u, 0u};
  };
  constexpr auto bit = [](int kind) { return 1u << kind; };
  EXPECT_EQ(bits("pc"), (std::pair{bit(RV_KERNEL_CURRENT), 0u}));
  EXPECT_EQ(bits("ps"), (std::pair{0u, 0u}));
  EXPECT_EQ(bits("pw"), (std::pair{0u, bit(RV_KERNEL_NET_RECEIVE)}));
  // depth() is recursive, so it stays a kernel of its own that the state kernel calls
  EXPECT_EQ(bits("pr").first & bit(RV_KERNEL_STATE), bit(RV_KERNEL_STATE));
  EXPECT_EQ(bits("pr").first & bit(RV_KERNEL_FUNCTION), bit(RV_KERNEL_FUNCTION));
  EXPECT_EQ(bits("pr").second, 0u);
  EXPECT_EQ(bits("pn"), (std::pair{bit(RV_KERNEL_WATCH), 0u}));
  EXPECT_EQ(bits("x").second, bit(RV_KERNEL_CURRENT));
}

// Point processes share nodes: every instance's current must reach its node.
TEST(CompiledKernels, InstancesSharingANodeAllAddTheirCurrent) {
  auto lowered = lowerFile(std::filesystem::path(RANVIER_SOURCE_DIR) / "mechanisms/expsyn.mod");
  ASSERT_TRUE(lowered->ok());
  const ir::Mechanism &m = lowered->get();
  jit::Jit jit({.target = codegen::hostTarget()});
  const rv_mechanism *compiled = jit.load(m);
  constexpr std::int32_t kInstances = 1001, kNodes = 37;
  interp::Interpreter interp(m, kInstances);
  runtime::MechanismInstances instances(*compiled, kInstances);
  std::vector<std::int32_t> nodeIndex(kInstances);
  std::array<std::vector<double>, RV_NODE_QUANTITIES> nodes;
  for (auto &q : nodes) q.assign(kNodes, 0.0);
  for (std::int32_t n = 0; n < kNodes; ++n) {
    nodes[RV_NODE_V][static_cast<std::size_t>(n)] = -70 + n;
    nodes[RV_NODE_AREA][static_cast<std::size_t>(n)] = 100 + 3 * n;
  }
  std::mt19937 rng(7);
  for (std::int32_t i = 0; i < kInstances; ++i) {
    const std::int32_t n = static_cast<std::int32_t>(rng() % kNodes);
    nodeIndex[static_cast<std::size_t>(i)] = n;
    const double g = 0.001 * (1 + i % 13);
    interp.at("g", static_cast<std::size_t>(i)) = g;
    instances.value(*instances.variable("g"), i) = g;
    interp.at("node_v", static_cast<std::size_t>(i)) = nodes[RV_NODE_V][static_cast<std::size_t>(n)];
    interp.at("node_area", static_cast<std::size_t>(i)) = nodes[RV_NODE_AREA][static_cast<std::size_t>(n)];
  }
  rv_instances &view = instances.view();
  view.node_index = nodeIndex.data();
  for (int q = 0; q < RV_NODE_QUANTITIES; ++q) view.node[q] = nodes[static_cast<std::size_t>(q)].data();
  instances.run(*instances.kernel(RV_KERNEL_CURRENT), 0, kInstances);

  std::vector<double> rhs(kNodes, 0.0), d(kNodes, 0.0);
  for (std::int32_t i = 0; i < kInstances; ++i) {  // the interpreter's per-instance shares, summed in order
    interp.run(ir::KernelKind::Current, static_cast<std::size_t>(i));
    const auto n = static_cast<std::size_t>(nodeIndex[static_cast<std::size_t>(i)]);
    rhs[n] += interp.at("node_rhs", static_cast<std::size_t>(i));
    d[n] += interp.at("node_d", static_cast<std::size_t>(i));
  }
  for (std::size_t n = 0; n < kNodes; ++n) {
    EXPECT_TRUE(close(rhs[n], nodes[RV_NODE_RHS][n], 1e-13)) << n << ": " << rhs[n] << " vs " << nodes[RV_NODE_RHS][n];
    EXPECT_TRUE(close(d[n], nodes[RV_NODE_D][n], 1e-13)) << n << ": " << d[n] << " vs " << nodes[RV_NODE_D][n];
  }
}

TEST(CompiledKernels, WatchConditionsAgreeWithTheInterpreter) {
  auto lowered = lowerFile(std::filesystem::path(RANVIER_SOURCE_DIR) / "tests/mod/kernels/watch_syn.mod");
  ASSERT_TRUE(lowered->ok());
  ASSERT_FALSE(lowered->get().watches.empty());
  jit::Jit jit({.target = codegen::hostTarget()});
  const rv_mechanism *compiled = jit.load(lowered->get());
  // The interpreter evaluates each condition's measure (a - b for a > b) through a FUNCTION
  // kernel added to a copy.
  ir::Mechanism m = lowered->get();
  std::vector<std::string> kernels;
  for (std::size_t w = 0; w < m.watches.size(); ++w) {
    const ir::VarId value = m.add(ir::Variable{.name = "watch_value", .storage = ir::Storage::Local});
    ir::Kernel k{.name = "check_watch" + std::to_string(w), .kind = ir::KernelKind::Function, .result = value,
                 .locals = {value}, .body = {ir::assign(value, m.watches[w].value)}};
    m.kernels.push_back(std::move(k));
    kernels.push_back("check_watch" + std::to_string(w));
  }
  Twin twin(m, *compiled, 257);
  twin.randomize(3);
  int holds = 0;
  for (std::size_t w = 0; w < kernels.size(); ++w) {
    const rv_kernel *entry = twin.jit().kernel("watch" + std::to_string(w));
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(compiled->watch_flags[w], m.watches[w].flag);
    for (std::int32_t i = 0; i < twin.count(); ++i) {
      const double expected = twin.interp().run(kernels[w], static_cast<std::size_t>(i)).value;
      EXPECT_EQ(twin.jit().call(*entry, i, nullptr), expected) << "instance " << i;
      holds += expected > 0;  // the kernel returns NEURON's measure: > 0 when the condition holds
    }
  }
  EXPECT_GT(holds, 0);  // random voltages put some instances on each side
  EXPECT_LT(holds, twin.count() * static_cast<int>(kernels.size()));
}

// A compiled mechanism from `text` with `count` instances, reports collected.
struct Compiled {
  std::unique_ptr<Lowered> lowered;
  std::unique_ptr<jit::Jit> jit;
  std::unique_ptr<runtime::MechanismInstances> instances;
  std::vector<double> v, zeros;
  std::vector<std::int32_t> nodeIndex;
  Reports reports;

  Compiled(const std::string &text, std::int32_t count, const std::string &target = "native",
           codegen::KernelMath math = codegen::KernelMath::Exact) {
    lowered = lowerText(text);
    EXPECT_TRUE(lowered->ok()) << lowered->messages();
    jit = std::make_unique<jit::Jit>(jit::JitOptions{.target = *codegen::targetNamed(target), .math = math});
    instances = std::make_unique<runtime::MechanismInstances>(*jit->load(lowered->get()), count);
    v.assign(static_cast<std::size_t>(count), 0.0);
    zeros.assign(static_cast<std::size_t>(count), 0.0);
    for (std::int32_t i = 0; i < count; ++i) nodeIndex.push_back(i);
    rv_instances &view = instances->view();
    view.node_index = nodeIndex.data();
    view.node[RV_NODE_V] = v.data();
    for (int q = 1; q < RV_NODE_QUANTITIES; ++q) view.node[q] = zeros.data();
    view.callbacks = rv_callbacks{&reports, collectError, collectEvent, collectWatch};
  }
  void run(rv_kernel_kind kind) { instances->run(*instances->kernel(kind), 0, instances->count()); }
};

// Threads run sub-ranges of one mechanism's instances: a kernel must neither write
// nor depend on instances outside its range, even when the range is not a whole
// number of vector blocks.
TEST(CompiledKernels, ARangeKernelTouchesOnlyItsInstances) {
  auto lowered = lowerFile(std::filesystem::path(RANVIER_SOURCE_DIR) / "mechanisms/hh.mod");
  ASSERT_TRUE(lowered->ok());
  const ir::Mechanism &m = lowered->get();
  jit::Jit jit({.target = codegen::hostTarget()});
  Twin twin(m, *jit.load(m), 29);
  twin.randomize(11);
  const rv_variable *state = twin.jit().variable("m");
  std::vector<double> before;
  for (std::int32_t i = 0; i < 29; ++i) before.push_back(twin.jit().value(*state, i));
  twin.jit().run(*twin.jit().kernel(RV_KERNEL_STATE), 3, 14);  // 11 instances: one block and a part
  for (std::int32_t i = 0; i < 29; ++i) {
    const bool inside = i >= 3 && i < 14;
    EXPECT_EQ(twin.jit().value(*state, i) != before[static_cast<std::size_t>(i)], inside) << "instance " << i;
  }
  for (std::int32_t i = 3; i < 14; ++i) twin.runInterp(*m.kernel(ir::KernelKind::State), i);
  for (const std::string &d : twin.differences(1e-12)) ADD_FAILURE() << d;
}

// FOR_NETCONS: the body runs once for each weight vector rv_callbacks.netcon_weights
// gives, reading and writing it in place; NET_RECEIVE's own arguments are written out
// before the loop and read back after it, so when the runtime gives the event's `args`
// as one of the vectors (as it does for the NetCon of the event), both see one memory.
// The interpreter does the same arithmetic on the vectors.
TEST(CompiledKernels, ForNetconsVisitsEveryWeightVectorInPlace) {
  const std::string text = "NEURON { POINT_PROCESS Sum RANGE total, seen }\nASSIGNED { total seen }\n"
                           "NET_RECEIVE(w, n) {\n n = n + 100\n total = 0\n"
                           " FOR_NETCONS(w1, n1) {\n n1 = n1 + w1\n total = total + n1\n }\n seen = n\n}\n";
  Compiled c(text, 2);
  struct Vectors {
    std::vector<double *> list;
  };
  std::array<double, 2> first{1, 0}, last{2, 5};
  std::array<double, 3> args{3, 10, 0};  // w, n, flag
  Vectors vectors{{first.data(), args.data(), last.data()}};
  rv_instances &view = c.instances->view();
  view.callbacks.context = &vectors;
  view.callbacks.netcon_weights = [](void *context, std::int32_t instance, std::int32_t k) -> double * {
    const auto &list = static_cast<Vectors *>(context)->list;
    return instance == 1 && k >= 0 && static_cast<std::size_t>(k) < list.size() ? list[static_cast<std::size_t>(k)] : nullptr;
  };
  const rv_kernel *receive = c.instances->kernel(RV_KERNEL_NET_RECEIVE);
  ASSERT_NE(receive, nullptr);
  ASSERT_EQ(receive->vector_width, 1);
  receive->instance(&view, 1, args.data());
  EXPECT_EQ(first[1], 1);        // 0 + 1
  EXPECT_EQ(args[1], 113);       // 10 + 100 before the loop, + 3 in it
  EXPECT_EQ(last[1], 7);         // 5 + 2
  const rv_variable &total = *c.instances->variable("total"), &seen = *c.instances->variable("seen");
  EXPECT_EQ(c.instances->value(total, 1), 1 + 113 + 7);
  EXPECT_EQ(c.instances->value(seen, 1), 113);  // the loop's write, read back
  // Instance 0 has no NetCons: the loop does not run.
  std::array<double, 3> alone{3, 10, 0};
  receive->instance(&view, 0, alone.data());
  EXPECT_EQ(c.instances->value(total, 0), 0);
  EXPECT_EQ(c.instances->value(seen, 0), 110);

  interp::Interpreter interp(c.lowered->get(), 2);
  std::array<double, 2> iFirst{1, 0}, iArgs{3, 110}, iLast{2, 5};
  std::vector<double *> list{iFirst.data(), iArgs.data(), iLast.data()};
  interp.setNetcons([&](std::size_t instance, std::size_t k) { return instance == 1 && k < list.size() ? list[k] : nullptr; });
  interp.run(ir::KernelKind::NetReceive, 1, {3, 10, 0});
  EXPECT_EQ(interp.at("total", 1), c.instances->value(total, 1));
  EXPECT_EQ(iFirst[1], first[1]);
  EXPECT_EQ(iLast[1], last[1]);
}

// exp is NEURON's hoc_Exp, in the interpreter and in scalar and vector code, exact and
// fast: 0 below -700 and exp(700) above 700 (IEEE's exp gives a tiny number, or
// infinity, which made a ModelDB potassium channel's time constant 0 and its state NaN
// where NEURON's stays finite).
TEST(CompiledKernels, ExpIsNeuronsHocExp) {
  const std::string text = "NEURON { SUFFIX e RANGE x, y }\nASSIGNED { x y }\nBREAKPOINT { y = exp(x) }\n";
  const std::vector<double> xs{800, 700.5, 700, 699.5, -699.5, -700, -700.5, -750, 1, -1, 0, 0, 0, 0, 0, 0, 0};
  auto l = lowerText(text);
  ASSERT_TRUE(l->ok()) << l->messages();
  interp::Interpreter in(l->get(), 1);
  for (const std::string target : {"scalar", "native"}) {
    for (const codegen::KernelMath math : {codegen::KernelMath::Exact, codegen::KernelMath::Fast}) {
      Compiled c(text, static_cast<std::int32_t>(xs.size()), target, math);
      const rv_variable &x = *c.instances->variable("x"), &y = *c.instances->variable("y");
      for (std::size_t i = 0; i < xs.size(); ++i) c.instances->value(x, static_cast<std::int32_t>(i)) = xs[i];
      c.run(RV_KERNEL_STATE);
      for (std::size_t i = 0; i < xs.size(); ++i) {
        in.at("x") = xs[i];
        in.run(ir::KernelKind::State, 0);
        const double want = xs[i] > 700 ? std::exp(700.0) : xs[i] < -700 ? 0.0 : std::exp(xs[i]);
        EXPECT_EQ(in.at("y"), want) << "interpreter, exp(" << xs[i] << ")";
        const double got = c.instances->value(y, static_cast<std::int32_t>(i));
        // Between the limits: libm's exp (scalar), libmvec's (vector: its last bit may
        // differ) or the fast polynomial.
        if ((math == codegen::KernelMath::Exact && target == "scalar") || std::abs(xs[i]) >= 700) {
          EXPECT_EQ(got, want) << target << (math == codegen::KernelMath::Fast ? " fast" : " exact") << ", exp(" << xs[i] << ")";
        } else {
          EXPECT_NEAR(got, want, 4e-16 * want) << target << ", exp(" << xs[i] << ")";
        }
      }
    }
  }
}

// POINTERs through the ABI: each instance reads and writes the value its own address
// names (17 instances: blocks of 8 lanes and a tail), as the interpreter computes on
// its stand-in values. Reading kernels gather; writing kernels run one instance at a time.
TEST(CompiledKernels, PointersReadAndWriteWhereEachInstancePoints) {
  const std::string text = "NEURON { SUFFIX p POINTER src, dst RANGE y }\nASSIGNED { src dst y }\n"
                           "INITIAL { dst = 2*src }\nBREAKPOINT { y = src*src + 1 }\n";
  auto l = lowerText(text);
  ASSERT_TRUE(l->ok()) << l->messages();
  constexpr std::int32_t kCount = 17;
  for (const std::string target : {"scalar", "native"}) {
    Compiled c(text, kCount, target, codegen::KernelMath::Exact);
    const rv_variable &src = *c.instances->variable("src"), &dst = *c.instances->variable("dst"), &y = *c.instances->variable("y");
    EXPECT_EQ(src.storage, RV_STORAGE_POINTER);
    std::vector<double> sources(kCount), outputs(kCount, -1);
    for (std::int32_t i = 0; i < kCount; ++i) {
      sources[static_cast<std::size_t>(i)] = 0.5 * i - 3;
      // instance i reads the source of instance (5 i) mod 17 and writes its own output
      c.instances->setPointer(src, i, &sources[static_cast<std::size_t>((5 * i) % kCount)]);
      c.instances->setPointer(dst, i, &outputs[static_cast<std::size_t>(i)]);
    }
    c.run(RV_KERNEL_STATE);
    c.run(RV_KERNEL_INIT);
    interp::Interpreter in(l->get(), 1);
    for (std::int32_t i = 0; i < kCount; ++i) {
      in.at("src") = sources[static_cast<std::size_t>((5 * i) % kCount)];
      in.run(ir::KernelKind::State, 0);
      in.run(ir::KernelKind::Init, 0);
      EXPECT_EQ(c.instances->value(y, i), in.at("y")) << target << " instance " << i;
      EXPECT_EQ(outputs[static_cast<std::size_t>(i)], in.at("dst")) << target << " instance " << i;
    }
    EXPECT_EQ(c.instances->pointer(dst, 3), &outputs[3]);
    const rv_kernel *init = c.instances->kernel(RV_KERNEL_INIT);
    EXPECT_EQ(init->vector_width, 1);  // it writes through a POINTER
  }
}

// FUNCTION_TABLEs through rv_callbacks.function_table: the kernel passes the table's
// number, the instance and the arguments; it is scalar; a null callback reads 0. The
// interpreter asks its FunctionTableSource the same, and without one refuses.
double fakeTable(void *, std::int32_t instance, std::int32_t table, const double *args) {
  return table == 0 ? 1000 * instance + args[0] : args[0] * args[1] - table;
}

TEST(CompiledKernels, FunctionTablesAskTheRuntime) {
  const std::string text = "NEURON { SUFFIX ft RANGE a, b, y }\nASSIGNED { a b y }\nFUNCTION_TABLE g(x)\nFUNCTION_TABLE h(x, z)\n"
                           "BREAKPOINT { y = g(a) + h(a, b) }\n";
  constexpr std::int32_t kCount = 11;
  Compiled c(text, kCount);
  const rv_variable &a = *c.instances->variable("a"), &b = *c.instances->variable("b"), &y = *c.instances->variable("y");
  for (std::int32_t i = 0; i < kCount; ++i) {
    c.instances->value(a, i) = 0.5 * i;
    c.instances->value(b, i) = 3 - i;
  }
  EXPECT_EQ(c.instances->kernel(RV_KERNEL_STATE)->vector_width, 1);
  c.run(RV_KERNEL_STATE);  // no function_table callback: every table reads 0
  for (std::int32_t i = 0; i < kCount; ++i) EXPECT_EQ(c.instances->value(y, i), 0) << i;
  c.instances->view().callbacks.function_table = fakeTable;
  c.run(RV_KERNEL_STATE);
  interp::Interpreter in(c.lowered->get(), kCount);
  EXPECT_THROW(in.run(ir::KernelKind::State, 0), interp::RuntimeError);
  in.setFunctionTables([](std::size_t instance, std::uint32_t table, const std::vector<double> &args) {
    return fakeTable(nullptr, static_cast<std::int32_t>(instance), static_cast<std::int32_t>(table), args.data());
  });
  for (std::int32_t i = 0; i < kCount; ++i) {
    in.at("a", static_cast<std::size_t>(i)) = 0.5 * i;
    in.at("b", static_cast<std::size_t>(i)) = 3 - i;
    in.run(ir::KernelKind::State, static_cast<std::size_t>(i));
    const double want = 1000 * i + 0.5 * i + (0.5 * i * (3 - i) - 1);
    EXPECT_EQ(in.at("y", static_cast<std::size_t>(i)), want) << i;
    EXPECT_EQ(c.instances->value(y, i), want) << i;
  }
}

TEST(CompiledKernels, AnEndlessLoopIsStoppedAndReported) {
  Compiled c("NEURON { SUFFIX spin RANGE n }\nASSIGNED { n }\n"
             "BREAKPOINT { n = 0 WHILE (1) { n = n + 1 } }\n", 9);
  c.run(RV_KERNEL_STATE);
  std::multiset<std::pair<int, int>> expected;
  for (int i = 0; i < 9; ++i) expected.insert({i, RV_ERROR_LOOP});
  EXPECT_EQ(c.reports.errors, expected);
  EXPECT_EQ(c.instances->value(*c.instances->variable("n"), 8), 1e8);
}

TEST(CompiledKernels, EndlessRecursionIsStoppedAndReported) {
  Compiled c("NEURON { SUFFIX deep RANGE y }\nASSIGNED { y }\n"
             "INITIAL { y = down(1) }\nFUNCTION down(x) { down = down(x + 1) + 1 }\n", 2);
  c.run(RV_KERNEL_INIT);
  std::multiset<std::pair<int, int>> expected{{0, RV_ERROR_RECURSION}, {1, RV_ERROR_RECURSION}};
  EXPECT_EQ(c.reports.errors, expected);
  EXPECT_EQ(c.instances->value(*c.instances->variable("y"), 0), 1000);  // 1000 nested calls add 1 to the cut-off 0
}

TEST(CompiledKernels, AnIndexOutsideItsArrayIsReportedAndNeverWritesOutside) {
  for (const char *target : {"native", "scalar"}) {
    SCOPED_TRACE(target);
    Compiled c("NEURON { SUFFIX idx RANGE k }\nASSIGNED { k a[3] v (mV) }\n"
               "BREAKPOINT { a[k] = 7  k = a[k] }\n", 11, target);
    const rv_variable *k = c.instances->variable("k");
    const rv_variable *a = c.instances->variable("a");
    for (std::int32_t i = 0; i < 11; ++i) c.instances->value(*k, i) = i % 2 == 0 ? 1 : 5 + i;  // odd: outside
    c.run(RV_KERNEL_STATE);
    std::multiset<std::pair<int, int>> expected;
    for (int i = 1; i < 11; i += 2) expected.insert({i, RV_ERROR_INDEX});  // once per instance and call
    EXPECT_EQ(c.reports.errors, expected);
    for (std::int32_t i = 0; i < 11; ++i) {
      EXPECT_EQ(c.instances->value(*k, i), 7);
      EXPECT_EQ(c.instances->value(*a, i, i % 2 == 0 ? 1 : 0), 7);  // out-of-range lanes used element 0
    }
  }
}

}  // namespace
}  // namespace ranvier::test
