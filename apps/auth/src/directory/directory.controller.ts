import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { UserDirectory } from './user-directory.service';

export class DirectorySearchQuery {
  @ApiProperty({ description: 'the start of a display name or mail address (2 to 64 characters)', example: 'ade' })
  @IsString({ message: 'q: must be a string' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @Length(2, 64, { message: 'q: must be 2 to 64 characters' })
  q!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 25, default: 10, description: 'most users answered' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'top: must be an integer from 1 to 25' })
  @Min(1, { message: 'top: must be an integer from 1 to 25' })
  @Max(25, { message: 'top: must be an integer from 1 to 25' })
  top?: number;
}

export class DirectoryUserView {
  @ApiProperty() id!: string;
  @ApiProperty() userPrincipalName!: string;
  @ApiProperty({ type: String, nullable: true }) mail!: string | null;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
}

export class DirectorySearchResponse {
  @ApiProperty({ type: [DirectoryUserView] }) items!: DirectoryUserView[];
}

/** The tenant directory for people pickers (PLATFORM_API_KEY): the app token, under auth's Graph budget. */
@ApiTags('directory')
@Controller('directory/users')
export class DirectoryController {
  constructor(private readonly directory: UserDirectory) {}

  @Get()
  @ApiOperation({
    summary: 'Users whose display name or mail starts with q (type-ahead)',
    description: "Graph `GET /users?$filter=startswith(displayName,'q') or startswith(mail,'q')&$top=`; 400 VALIDATION_FAILED naming `q` when it is shorter than 2 or longer than 64 characters.",
  })
  @ApiOkResponse({ type: DirectorySearchResponse })
  async search(@Query() query: DirectorySearchQuery): Promise<DirectorySearchResponse> {
    return { items: await this.directory.search(query.q, query.top ?? 10) };
  }
}
