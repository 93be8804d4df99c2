/*
 * procenv.c - a child's environment with one variable changed (see
 * procenv.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/procenv.h"

extern char **environ;

char **
procenv_with(const char *name, const char *value)
{
	size_t n = 0, k = 0, len = strlen(name);
	char **env;

	while (environ && environ[n])
		n++;
	env = calloc(n + 2, sizeof *env);
	if (env == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], name, len) != 0 || environ[i][len] != '=')
			env[k++] = environ[i];
	if (value)
		env[k++] = (char *)(uintptr_t)value;
	env[k] = NULL;
	return env;
}
