import { UserInputError } from '@vtex/api'

export async function validate(ctx: Context, next: () => Promise<any>) {
  const {
    vtex: {
      route: { params },
    },
  } = ctx

  const { code } = params
  const codeNumber = parseInt(code as string, 10)

  if (!code || !Number.isInteger(codeNumber) || codeNumber < 200 || codeNumber > 599) {
    // Wrapper for a Bad Request (400) HTTP error.
    throw new UserInputError('Code is required: an HTTP status between 200 and 599')
  }

  ctx.state.code = codeNumber
  await next()
}
