/* mpi.c: vae-fit's processes under mpirun: the sums vae_fit asks for, by MPI_Allreduce.
 *
 * Built only with make MPI=1, so that the library and every other program
 * stay free of MPI.  Only the thread that called vae_fit calls here (the
 * training team's member 0 runs on it), which MPI_THREAD_FUNNELED allows. */
#include <limits.h>
#include <stdlib.h>

#include <mpi.h>

#include "cli.h"

/* MPI counts are ints: a larger array goes in parts of this many. */
#define PART (1 << 30)

/* Open MPI's sums of MPI_SUM give every process the same bits: each
 * element is added up in one order (a ring or a tree, then shared), or
 * pairwise by processes that each add the same two numbers, and a + b is
 * b + a in IEEE arithmetic.  vae_comm asks for that. */
static void sum(void *x, size_t n, MPI_Datatype type, size_t size)
{
	for (size_t i = 0; i < n; i += PART) {
		int count = n - i < PART ? (int)(n - i) : PART;
		MPI_Allreduce(MPI_IN_PLACE, (char *)x + i * size, count, type, MPI_SUM, MPI_COMM_WORLD);
	}
}

static void sum_float(float *x, size_t n, void *user)
{
	(void)user;
	sum(x, n, MPI_FLOAT, sizeof *x);
}

static void sum_double(double *x, size_t n, void *user)
{
	(void)user;
	sum(x, n, MPI_DOUBLE, sizeof *x);
}

/* An error on any process ends them all with its status (MPI's default
 * handler does the same for MPI's own errors), since the others may be
 * waiting for this one in a sum; mpirun exits with it. */
static void leave(int status)
{
	int size = 1;

	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (status && size > 1)
		MPI_Abort(MPI_COMM_WORLD, status);
	MPI_Finalize();
}

/* Started by mpirun: Open MPI's, or a PMI launcher's (MPICH's hydra,
 * Slurm's srun).  Elsewhere vae-fit does not start MPI at all, so that
 * the MPI build runs as the plain one. */
static int under_mpirun(void)
{
	return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

const vae_comm *cli_mpi_start(int *argc, char ***argv)
{
	static vae_comm comm = { .sum_float = sum_float, .sum_double = sum_double };
	int thread;

	if (!under_mpirun())
		return NULL;
	if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &thread) != MPI_SUCCESS)
		exit(EXIT_SOFTWARE);    /* MPI has said why */
	cli_on_exit(leave);
	if (thread < MPI_THREAD_FUNNELED) {
		fprintf(stderr, "vae-fit: this MPI library cannot be called from a threaded program\n");
		cli_end(EXIT_SOFTWARE);
	}
	MPI_Comm_rank(MPI_COMM_WORLD, &comm.rank);
	MPI_Comm_size(MPI_COMM_WORLD, &comm.size);
	return comm.size > 1 ? &comm : NULL;
}

int cli_mpi_end(int status)
{
	if (under_mpirun())
		leave(status);
	return status;
}
