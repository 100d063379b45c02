/* The mechanism ABI: the whole contract between compiled mechanisms and the runtime.
 *
 * A compiled mechanism (JIT module, object file or shared library) exports one
 * constant `rv_mechanism` named `ranvier_mech_<name>`: what the mechanism is, every
 * variable it stores and where, the ions it uses, and its kernels. The runtime
 * allocates storage from that description and calls the kernels with an
 * `rv_instances` block; it never knows a mechanism's fields by name otherwise.
 *
 * C-compatible on purpose (a mechanism library could be written by hand in C), and
 * versioned: a runtime refuses a mechanism whose `abi_version` differs from its own.
 *
 * Version 2: rv_callbacks.random (random draws: exprand, normrand, scop_random,
 * poisrand, set_seed) and enum rv_random_distribution.
 * Version 4: rv_instances.secondorder and RV_BUILTIN_SECONDORDER (NEURON's secondorder,
 * which derivimplicit and sparse state kernels follow).
 * Version 5: rv_callbacks.netcon_weights (FOR_NETCONS).
 * Version 6: RV_STORAGE_POINTER and rv_instances.pointers (NMODL POINTER variables).
 * Version 7: FUNCTION_TABLEs: rv_mechanism.function_tables, rv_callbacks.function_table.
 * Version 8: RV_KERNEL_DIFFUSION and RV_KERNEL_DIFFUSION_VOLUME (LONGITUDINAL_DIFFUSION).
 * Version 9: rv_variable.read_by and written_by (which kinds of kernels touch a variable).
 */
#ifndef RANVIER_MECHANISM_ABI_H
#define RANVIER_MECHANISM_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RV_ABI_VERSION 9u
/* Every SoA array starts on this boundary (bytes), and `capacity` is a multiple of
 * RV_MAX_VECTOR_WIDTH, so vector kernels never read past an array's end. */
#define RV_ALIGNMENT 64
#define RV_MAX_VECTOR_WIDTH 8

/* Where a variable lives (rv_variable.storage); `slot` says where in that place. */
enum rv_storage {
  RV_STORAGE_FIELD = 0,   /* per instance: fields[slot][element * capacity + instance] */
  RV_STORAGE_GLOBAL = 1,  /* shared, read-only for kernels: globals[slot + element] */
  RV_STORAGE_THREAD = 2,  /* per thread (GLOBALs the mechanism writes): thread[slot + element] */
  RV_STORAGE_TABLE = 3,   /* TABLE arrays and bounds, written by the table_check kernel: globals[slot + element] */
  RV_STORAGE_ION = 4,     /* ion_values[slot][ion_index[ion][instance]], slot = ion * RV_ION_QUANTITIES + quantity */
  RV_STORAGE_NODE = 5,    /* node[quantity][node_index[instance]] */
  RV_STORAGE_BUILTIN = 6, /* t, dt, celsius in rv_instances; quantity says which */
  RV_STORAGE_POINTER = 7  /* a POINTER: *pointers[slot][instance], a value elsewhere (another
                             cell's v, a variable of another mechanism); the runtime sets the
                             addresses before any kernel runs and never leaves one null */
};

enum rv_role {
  RV_ROLE_PARAMETER = 0, RV_ROLE_ASSIGNED = 1, RV_ROLE_STATE = 2, RV_ROLE_CURRENT = 3,
  RV_ROLE_ION_COPY = 4, RV_ROLE_TEMPORARY = 5, RV_ROLE_INTERNAL = 6
};

enum rv_ion_quantity {
  RV_ION_REVERSAL = 0, RV_ION_INSIDE = 1, RV_ION_OUTSIDE = 2, RV_ION_CURRENT = 3,
  RV_ION_CONDUCTANCE = 4, RV_ION_QUANTITIES = 5
};

enum rv_node_quantity {
  RV_NODE_V = 0, RV_NODE_RHS = 1, RV_NODE_D = 2, RV_NODE_AREA = 3, RV_NODE_DIAM = 4,
  RV_NODE_QUANTITIES = 5
};

/* t, dt, celsius; secondorder: NEURON's (0: implicit Euler, 2: Crank-Nicolson), read by
 * state kernels of derivimplicit and sparse SOLVEs, which then take half a step and
 * extrapolate as NEURON's nrn_state does. */
enum rv_builtin { RV_BUILTIN_T = 0, RV_BUILTIN_DT = 1, RV_BUILTIN_CELSIUS = 2, RV_BUILTIN_SECONDORDER = 3 };

enum rv_mechanism_kind { RV_DENSITY = 0, RV_POINT_PROCESS = 1, RV_ARTIFICIAL_CELL = 2 };

enum rv_kernel_kind {
  RV_KERNEL_INIT = 0, RV_KERNEL_CURRENT = 1, RV_KERNEL_STATE = 2, RV_KERNEL_NET_RECEIVE = 3,
  RV_KERNEL_NET_INIT = 4, RV_KERNEL_FUNCTION = 5, RV_KERNEL_PROCEDURE = 6,
  RV_KERNEL_TABLE_CHECK = 7, RV_KERNEL_BEFORE = 8, RV_KERNEL_AFTER = 9,
  RV_KERNEL_CONSTRUCTOR = 10, RV_KERNEL_DESTRUCTOR = 11,
  RV_KERNEL_WATCH = 12, /* WATCH condition `index` for the instance, as NEURON measures it:
                           a - b for (a > b), b - a for (a < b); > 0 when it holds */
  /* LONGITUDINAL_DIFFUSION of the STATE whose name follows "ldifus_" in the kernel's name
   * (ABI 8): instance kernels of args[0] = the array element, returning the diffusion
   * coefficient times cross-section (DIFFUSION) and the element's COMPARTMENT volume
   * (DIFFUSION_VOLUME, named "ldifus_volume_<state>"); the runtime diffuses the state
   * along the cell after the state kernels, as NEURON's ldifus.cpp */
  RV_KERNEL_DIFFUSION = 13, RV_KERNEL_DIFFUSION_VOLUME = 14
};

enum rv_event_kind { RV_NET_SEND = 0, RV_NET_EVENT = 1, RV_NET_MOVE = 2 };

/* Errors a kernel reports through rv_callbacks.error: a non-negative value indexes
 * rv_mechanism.errors; the negative ones are the backend's own guards. */
enum rv_kernel_error {
  RV_ERROR_INDEX = -1,     /* an array index outside its array (element 0 was used) */
  RV_ERROR_LOOP = -2,      /* a loop ran 100 million times and was stopped */
  RV_ERROR_RECURSION = -3  /* calls nested deeper than 1000 (the call returned 0) */
};

/* Bits of rv_ion.uses. */
enum rv_ion_use {
  RV_READS_REVERSAL = 1u, RV_READS_INSIDE = 2u, RV_READS_OUTSIDE = 4u,
  RV_WRITES_CURRENT = 8u, RV_WRITES_INSIDE = 16u, RV_WRITES_OUTSIDE = 32u, RV_WRITES_REVERSAL = 64u
};

/* What a kernel asks rv_callbacks.random for: NMODL's random functions (NEURON's
 * scopmath), with the meaning of the arguments a and b. */
enum rv_random_distribution {
  RV_RANDOM_UNIFORM01 = 0,    /* scop_random(), unirand(): uniform on [0, 1]; a = b = 0 */
  RV_RANDOM_EXPONENTIAL = 1,  /* exprand(a): exponential with mean a (NEURON: -a*log(u)); b = 0 */
  RV_RANDOM_NORMAL = 2,       /* normrand(a, b): normal with mean a and standard deviation b */
  RV_RANDOM_POISSON = 3,      /* poisrand(a): Poisson with mean a, a whole number >= 0; b = 0 */
  RV_RANDOM_SEED = 4          /* set_seed(a), setseed(a): restart the instance's stream from seed a;
                                 b = 0. Return 0: kernels ignore the value (set_seed's is 0). */
};
/* gauss(x, mean, sd) and poisson(x, mean) are NEURON's probability densities, not draws:
 * kernels compute them. nrn_random_play (hoc's Random.play) is refused by the compiler. */

/* How kernels talk back. Any function pointer may be null: reports are dropped, and
 * random draws give 0 (set_seed does nothing). */
typedef struct rv_callbacks {
  void *context;
  void (*error)(void *context, int32_t instance, int32_t error);
  /* net_send: time is the delay; net_event and net_move: an absolute time */
  void (*event)(void *context, int32_t instance, int32_t kind, double time, double flag);
  void (*watch)(void *context, int32_t instance, int32_t watch);
  /* A random draw for `instance` (rv_random_distribution; a, b as the enum says); the
   * kernel uses the value returned. The runtime owns the generator and gives each
   * instance its own reproducible stream: what an instance draws depends only on its
   * stream's seed and on how many draws it made before, never on threads, on vector
   * width or on which other instances run. Kernels that draw run one instance at a
   * time (their rv_kernel.vector_width is 1) and make each instance's draws in program
   * order, so a stream is consumed in the same order on every machine. `instance` is
   * the instance the kernel runs for (0 for the table check, which runs once). */
  double (*random)(void *context, int32_t instance, int32_t distribution, double a, double b);
  /* FOR_NETCONS: the weight vector of the k-th NetCon (k = 0, 1, ...) whose target is
   * `instance`, in the order they were made, or null past the last one. Kernels read and
   * write the weights in place. The NetCon whose event the kernel is handling is given
   * as the kernel's own `args` (whose weights the runtime keeps), so the two views of its
   * weights are one, as NEURON's. */
  double *(*netcon_weights)(void *context, int32_t instance, int32_t k);
  /* A FUNCTION_TABLE's value at args (rv_mechanism.function_tables[table].arity of them)
   * for `instance`: the runtime holds the tables (NEURON: hoc's table_<name>_<suffix>)
   * and interpolates as NEURON's hoc_func_table. Kernels that read one run one instance
   * at a time. A null callback gives 0. */
  double (*function_table)(void *context, int32_t instance, int32_t table, const double *args);
} rv_callbacks;

/* The instances of one mechanism type in one cell group, as kernels see them. */
typedef struct rv_instances {
  int32_t count;     /* instances */
  int32_t capacity;  /* SoA stride: count rounded up to RV_MAX_VECTOR_WIDTH */
  double *const *fields;             /* per field slot: capacity * size doubles, RV_ALIGNMENT-aligned */
  const int32_t *node_index;         /* per instance: its node in the cell group */
  double *node[RV_NODE_QUANTITIES];  /* the cell group's v, rhs, d, area (um2), diam (um) */
  const int32_t *const *ion_index;   /* per ion (rv_mechanism.ions order): per instance */
  double *const *ion_values;         /* per ion, RV_ION_QUANTITIES arrays (ena, nai, nao, ina, dina_dv) */
  double *globals;                   /* GLOBAL and TABLE slots, shared by all instances */
  double *thread;                    /* THREAD slots: one block per thread */
  double *const *const *pointers;    /* per POINTER slot: capacity addresses, one per instance */
  double t, dt, celsius;
  double secondorder;  /* 0 or 2, as the simulation's (rv_builtin) */
  rv_callbacks callbacks;
} rv_instances;

/* Kernels over a range of instances [begin, end): init, current, state, ... */
typedef void (*rv_range_kernel)(rv_instances *instances, int32_t begin, int32_t end);
/* Kernels for one instance: net_receive (args: weights..., flag), functions, watch
 * conditions, the table check (instance 0). Returns a FUNCTION's value, else 0.
 * net_receive and net_init write their weight arguments back into args (as NEURON's
 * NET_RECEIVE arguments are the NetCon's weight vector, per-connection state such as
 * an STDP trace lives there); other kernels only read args. */
typedef double (*rv_instance_kernel)(rv_instances *instances, int32_t instance, double *args);

/* BEFORE/AFTER kernels: rv_kernel.index says where in the step they run. */
typedef enum rv_step_point {
  RV_BA_BREAKPOINT = 0, RV_BA_SOLVE = 1, RV_BA_INITIAL = 2, RV_BA_STEP = 3
} rv_step_point;

typedef struct rv_variable {
  const char *name;
  const char *unit;       /* "" when none */
  const char *ion;        /* ion storage and ion copies: "na", ...; else "" */
  int32_t storage;        /* rv_storage */
  int32_t role;           /* rv_role */
  int32_t size;           /* elements (> 1: an array) */
  int32_t slot;           /* see rv_storage */
  int32_t quantity;       /* ion, node or builtin quantity */
  int32_t range;          /* 1: visible per instance to the user */
  double initial;         /* default value */
  /* Bits (1u << rv_kernel_kind) of the kinds of kernels that read / write the variable,
   * themselves or through what they call (RV_KERNEL_WATCH: WATCH conditions). The
   * runtime decides by them how a POINTER may be fed: one that only current kernels
   * read can take a copy of another thread's voltage made once per step. */
  uint32_t read_by, written_by;
} rv_variable;

typedef struct rv_ion {
  const char *name;
  double valence;
  int32_t has_valence;
  uint32_t uses;          /* rv_ion_use bits */
} rv_ion;

typedef struct rv_kernel {
  const char *name;
  int32_t kind;           /* rv_kernel_kind */
  int32_t params;         /* instance kernels: arguments read from args */
  int32_t vector_width;   /* lanes of the compiled loop (1: scalar) */
  int32_t index;          /* watch kernels: the WATCH number; BEFORE/AFTER: rv_step_point */
  rv_range_kernel range;        /* set for range kernels */
  rv_instance_kernel instance;  /* set for instance kernels */
} rv_kernel;

typedef struct rv_error {
  const char *message;
  const char *location;   /* file:line:col in the .mod file */
} rv_error;

/* A FUNCTION_TABLE: a function whose values the runtime supplies. */
typedef struct rv_function_table {
  const char *name;
  const char *unit;       /* of its value, "" when none */
  int32_t arity;          /* arguments: 1 or 2 */
} rv_function_table;

typedef struct rv_mechanism {
  uint32_t abi_version;   /* RV_ABI_VERSION */
  int32_t kind;           /* rv_mechanism_kind */
  const char *name;
  int32_t threadsafe;
  int32_t electrode_current;
  int32_t vector_width;   /* widest kernel loop: capacity must be a multiple */
  int32_t net_receive_args;
  int32_t field_slots, global_slots, thread_slots;  /* storage to allocate (fields: arrays) */
  int32_t pointer_slots;  /* POINTER variables: one address per instance each */
  int32_t variable_count;
  const rv_variable *variables;
  int32_t ion_count;
  const rv_ion *ions;
  int32_t kernel_count;
  const rv_kernel *kernels;
  int32_t error_count;
  const rv_error *errors;
  int32_t watch_count;
  const double *watch_flags;
  int32_t function_table_count;
  const rv_function_table *function_tables;
  const char *target;     /* what the code was compiled for, e.g. "avx512" */
  const char *compiler;   /* "ranvier <version>" */
  const char *source_hash;
} rv_mechanism;

#ifdef __cplusplus
}
#endif

#endif /* RANVIER_MECHANISM_ABI_H */
